import { reportConfig } from './report-config.ts';

/** The browsable report: `npx allure generate --config reports/allurerc.ts reports/allure-results`. */
export default reportConfig('html');
