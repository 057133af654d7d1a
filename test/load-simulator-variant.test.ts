import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulatorVariantArgs } from '../load/run/simulator-process.ts';

test("npm start's --sim-defect / --sim-latency reach the simulator the load stage starts (SIM_DEFECT, SIM_LATENCY_MS)", () => {
  assert.deepEqual(simulatorVariantArgs({}), []);
  assert.deepEqual(simulatorVariantArgs({ SIM_DEFECT: 'wrong-4xx-for-invalid-input', SIM_LATENCY_MS: '300' }), ['--defect', 'wrong-4xx-for-invalid-input', '--latency', '300']);
  assert.deepEqual(simulatorVariantArgs({ SIM_LATENCY_MS: '0' }), []);
  assert.throws(() => simulatorVariantArgs({ SIM_DEFECT: 'x; rm -rf /' }), /SIM_DEFECT: .* is not a defect name/);
  assert.throws(() => simulatorVariantArgs({ SIM_LATENCY_MS: 'slow' }), /SIM_LATENCY_MS: expected milliseconds/);
});
