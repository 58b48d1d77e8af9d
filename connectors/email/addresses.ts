import type { AddressObject } from 'mailparser';

export interface Mailbox {
  address: string;
  name: string;
}

/** Every address of a parsed header (groups flattened), lower-cased; entries without an address dropped. */
export function mailboxes(value: AddressObject | AddressObject[] | undefined): Mailbox[] {
  const objects = Array.isArray(value) ? value : value ? [value] : [];
  const out: Mailbox[] = [];
  const walk = (list: AddressObject['value']) => {
    for (const a of list) {
      if (a.group) walk(a.group);
      else if (a.address) out.push({ address: a.address.trim().toLowerCase(), name: (a.name ?? '').trim() });
    }
  };
  for (const o of objects) walk(o.value);
  return out;
}

/** Whether mail from `address` is to be left alone: listed itself, or its domain (or a parent domain) is. */
export function isIgnored(address: string, ignore: readonly string[]): boolean {
  const a = address.toLowerCase();
  const domain = a.slice(a.lastIndexOf('@') + 1);
  return ignore.some((entry) => {
    const e = entry.toLowerCase().replace(/^@/, '');
    if (e.includes('@')) return e === a;
    return domain === e || domain.endsWith(`.${e}`);
  });
}

/** The address without a `+detail`: `support+42-x@shop` is `support@shop`. */
export function baseAddress(address: string): string {
  const a = address.toLowerCase();
  const at = a.lastIndexOf('@');
  return `${a.slice(0, at).split('+')[0]}${a.slice(at)}`;
}
