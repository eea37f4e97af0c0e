// The little of the DOM that Preact uses to render and that tests use to look and click: enough to
// render a view in Node and drive it as a user would (type, click, submit), without a browser.
export class FakeNode {
  parentNode: FakeElement | null = null;
  childNodes: FakeNode[] = [];
  constructor(
    readonly nodeType: number,
    readonly ownerDocument: FakeDocument,
  ) {}
  get firstChild(): FakeNode | null {
    return this.childNodes[0] ?? null;
  }
  get nextSibling(): FakeNode | null {
    const siblings = this.parentNode?.childNodes ?? [];
    return siblings[siblings.indexOf(this) + 1] ?? null;
  }
  get textContent(): string {
    return this.childNodes.map((c) => c.textContent).join('');
  }
  remove(): void {
    this.parentNode?.removeChild(this);
  }
}

export class FakeText extends FakeNode {
  constructor(
    public data: string,
    doc: FakeDocument,
  ) {
    super(3, doc);
  }
  override get textContent(): string {
    return this.data;
  }
}

type Listener = (event: FakeEvent) => unknown;

export interface FakeEvent {
  type: string;
  target: FakeElement;
  currentTarget: FakeElement | null;
  defaultPrevented: boolean;
  preventDefault(): void;
  stopPropagation(): void;
}

export class FakeElement extends FakeNode {
  readonly attributes = new Map<string, string>();
  readonly style: { cssText: string; values: Map<string, string>; setProperty(k: string, v: string): void } = {
    cssText: '',
    values: new Map(),
    setProperty(k: string, v: string) {
      this.values.set(k, v);
    },
  };
  private readonly listeners = new Map<string, Set<Listener>>();
  // Properties Preact sets as properties (not attributes) on form controls.
  value = '';
  checked = false;
  disabled = false;
  constructor(
    readonly localName: string,
    readonly namespaceURI: string,
    doc: FakeDocument,
  ) {
    super(1, doc);
  }
  get nodeName(): string {
    return this.localName.toUpperCase();
  }
  setAttribute(name: string, value: unknown): void {
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }
  insertBefore(node: FakeNode, ref: FakeNode | null): FakeNode {
    node.parentNode?.removeChild(node);
    const at = ref ? this.childNodes.indexOf(ref) : -1;
    if (at < 0) this.childNodes.push(node);
    else this.childNodes.splice(at, 0, node);
    node.parentNode = this;
    return node;
  }
  appendChild(node: FakeNode): FakeNode {
    return this.insertBefore(node, null);
  }
  removeChild(node: FakeNode): FakeNode {
    const at = this.childNodes.indexOf(node);
    if (at >= 0) this.childNodes.splice(at, 1);
    node.parentNode = null;
    return node;
  }
  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }
  /** Dispatches a bubbling event from this element up through its ancestors. */
  dispatch(type: string): FakeEvent {
    let stopped = false;
    const event: FakeEvent = {
      type,
      target: this,
      currentTarget: null,
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
      stopPropagation() {
        stopped = true;
      },
    };
    for (let node: FakeElement | null = this; node && !stopped; node = node.parentNode) {
      event.currentTarget = node;
      for (const listener of [...(node.listeners.get(type) ?? [])]) listener.call(node, event);
    }
    return event;
  }
  /** Every element below this one (depth first) matching `match`. */
  findAll(match: (e: FakeElement) => boolean): FakeElement[] {
    const out: FakeElement[] = [];
    for (const child of this.childNodes) {
      if (!(child instanceof FakeElement)) continue;
      if (match(child)) out.push(child);
      out.push(...child.findAll(match));
    }
    return out;
  }
  find(match: (e: FakeElement) => boolean): FakeElement | null {
    return this.findAll(match)[0] ?? null;
  }
  byTestId(id: string): FakeElement | null {
    return this.find((e) => e.getAttribute('data-testid') === id);
  }
  /** The first element with this tag whose text contains `text`. */
  byText(tag: string, text: string): FakeElement | null {
    return this.find((e) => e.localName === tag && e.textContent.includes(text));
  }
}

export class FakeDocument {
  readonly documentElement = new FakeElement('html', 'http://www.w3.org/1999/xhtml', this);
  readonly body = new FakeElement('body', 'http://www.w3.org/1999/xhtml', this);
  createElementNS(ns: string | null, tag: string): FakeElement {
    return new FakeElement(tag, ns ?? 'http://www.w3.org/1999/xhtml', this);
  }
  createElement(tag: string): FakeElement {
    return this.createElementNS(null, tag);
  }
  createTextNode(text: string): FakeText {
    return new FakeText(String(text), this);
  }
}

/** A fresh document as the global `document`, and a container to render into. */
export function installFakeDom(): FakeElement {
  const doc = new FakeDocument();
  (globalThis as { document?: unknown }).document = doc;
  const root = doc.createElement('div');
  doc.body.appendChild(root);
  return root;
}
