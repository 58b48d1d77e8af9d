type Child = Node | string | null | false | undefined;
type Attrs = Record<string, string | boolean | undefined | ((e: never) => void)>;

/**
 * Creates an element. Strings become text nodes and attributes go through `setAttribute`, so
 * nothing passed here is ever parsed as HTML; `onclick`-style keys add listeners.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name.slice(2), value as EventListener);
    else if (value === true) el.setAttribute(name, '');
    else if (typeof value === 'string') el.setAttribute(name, value);
  }
  el.append(...children.filter((c): c is Node | string => c !== null && c !== false && c !== undefined));
  return el;
}

/** Shows or hides without removing, so focus and form state survive. */
export function show(el: HTMLElement, visible: boolean): void {
  el.hidden = !visible;
}
