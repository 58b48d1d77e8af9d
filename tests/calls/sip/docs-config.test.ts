/**
 * docs/channels/calls-pbx.md shows the Kamailio configuration the SIP suite runs: below its "site
 * values" it must be the template, line for line, and Kamailio must accept it as written.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KAMAILIO_BIN, KAMAILIO_TEMPLATE, kamailioAvailable } from './kamailio.js';

const DOC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/channels/calls-pbx.md');
const BODY_START = '####### Global parameters #########';

function docSample(): string {
  const doc = readFileSync(DOC, 'utf8');
  const block = /```cfg\n([\s\S]*?)```/.exec(doc);
  if (!block) throw new Error('calls-pbx.md has no ```cfg block');
  return block[1]!;
}

describe('the documented Kamailio configuration', () => {
  it('is the tested template below its site values', () => {
    const sample = docSample();
    const template = readFileSync(KAMAILIO_TEMPLATE, 'utf8');
    expect(sample.startsWith('#!KAMAILIO\n')).toBe(true);
    expect(sample).toContain('#!define WITH_TLS\n#!define WITH_AUTH\n');
    expect(sample).not.toMatch(/\{\{[A-Z_]+\}\}/);
    expect(sample.slice(sample.indexOf(BODY_START))).toBe(template.slice(template.indexOf(BODY_START)));
    // The same site values, with example values instead of placeholders.
    const names = (text: string) => [...text.matchAll(/^#!substdef "!([A-Z_]+)!/gm)].map((m) => m[1]);
    expect(names(sample)).toEqual(names(template));
  });

  it.skipIf(!kamailioAvailable())('passes kamailio -c as written', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'omniline-kamailio-doc-'));
    try {
      const file = path.join(dir, 'kamailio.cfg');
      writeFileSync(file, docSample());
      const result = spawnSync(KAMAILIO_BIN, ['-c', '-f', file], { encoding: 'utf8', timeout: 20_000 });
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
