import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import en from './en';
import { i18n, setLocale } from './index';
import ru from './ru';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(vue|ts)$/.test(name) && !name.endsWith('.test.ts') && !path.includes('/i18n/') ? [path] : [];
  });
}

const EN = flatten(en as Tree);
const RU = flatten(ru as Tree);
const root = fileURLToPath(new URL('..', import.meta.url));

describe('i18n', () => {
  it('Russian and English have exactly the same keys', () => {
    expect([...RU.keys()].sort()).toEqual([...EN.keys()].sort());
  });

  it('every placeholder of a message exists in its translation', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, text] of EN) expect(names(RU.get(key) ?? ''), key).toEqual(names(text));
  });

  it('no Russian message is empty', () => {
    for (const [key, text] of RU) expect(text.trim(), key).not.toBe('');
  });

  it('every literal key used by the console exists', () => {
    const missing: string[] = [];
    for (const file of sources(root)) {
      const code = readFileSync(file, 'utf8');
      // A component with local messages (`useScope: 'local'`) must define its keys in them, in both languages.
      const local = code.includes("useScope: 'local'");
      const definedLocally = (key: string) => (code.match(new RegExp(`\\b${key.split('.').at(-1)}\\s*:`, 'g')) ?? []).length >= 2;
      for (const m of code.matchAll(/\bt\(\s*'([a-zA-Z0-9_.]+)'/g)) {
        const key = m[1] as string;
        // Local scopes fall back to the global messages.
        if (!EN.has(key) && !(local && definedLocally(key))) missing.push(`${file}: ${key}`);
      }
      // Template keys such as t(`status.${s}`): the prefix must be a group.
      for (const m of code.matchAll(/\bt\(\s*`([a-zA-Z0-9_.]+)\.\$\{/g)) {
        const prefix = `${m[1]}.`;
        const known = local ? definedLocally(m[1] as string) : [...EN.keys()].some((k) => k.startsWith(prefix));
        if (!known) missing.push(`${file}: ${prefix}*`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every message compiles and renders in both languages', () => {
    for (const locale of ['en', 'ru'] as const) {
      setLocale(locale);
      for (const key of EN.keys()) {
        const text = i18n.global.t(key, { n: 2, name: 'X', time: '1m', max: 10, used: 1, reason: 'r', hours: 24 });
        expect(text, `${locale}:${key}`).not.toBe(key);
        expect(text, `${locale}:${key}`).not.toMatch(/\{\w+\}/);
      }
    }
    setLocale('en');
  });
});
