import { reportConfig } from './report-config.ts';

/** The same report as one self-contained HTML file, to send by mail or chat. */
export default reportConfig('single-file');
