// Worker entry: worker threads do not inherit the TypeScript loader, so register it here, then load the real module.
import { register } from 'tsx/esm/api';

register();
await import('./fake-networks-worker.ts');
