import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import { scanForCanaries } from './self-check/canary-scan.ts';

/** The secret-hygiene scanner reads trace archives in process: every entry, deflated or stored, at any depth. */
describe('canary scan of trace archives', () => {
  it('finds a canary inside a deflated trace entry, naming the archive and the entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-scan-'));
    const canary = 'sim-google-CANARYabc123';
    writeFileSync(
      join(dir, 'trace.zip'),
      zipSync({ 'trace.trace': strToU8(`{"method":"fill","value":"${canary}"}`), 'resources/page.png': new Uint8Array([0x89, 0x50, 0, 1]), 'clean.network': strToU8('{}') }, { level: 6 }),
    );
    const result = scanForCanaries([dir], [canary]);
    assert.equal(result.zipEntriesScanned, 3);
    assert.equal(result.findings.length, 1);
    assert.match(result.findings[0]!.file, /trace\.zip!trace\.trace$/);
  });
});
