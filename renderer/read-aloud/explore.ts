// Explore by touch (EN 301 549 5.1.6): with read-aloud on, one tap on anything says it, a second
// tap on the same thing within two seconds does it. The first tap's whole gesture (pointer, mouse,
// touch and click events) is held back from the page, so nothing underneath reacts to it.
export const ACTIVATE_WITHIN_MS = 2000;

/** The rule alone: which tap says, which does. */
export function createTapRule<T>(now: () => number = () => Date.now()) {
  let armed: { target: T; at: number } | undefined;
  return {
    tap(target: T): 'speak' | 'activate' {
      const at = now();
      if (armed !== undefined && armed.target === target && at - armed.at <= ACTIVATE_WITHIN_MS) {
        armed = undefined;
        return 'activate';
      }
      armed = { target, at };
      return 'speak';
    },
    reset(): void {
      armed = undefined;
    },
  };
}

const CONTROL = 'button, input, select, textarea, a[href], [role="button"], [role="switch"], [role="checkbox"], [role="radio"]';
const TEXT = 'h1, h2, h3, p, li, dt, dd, figcaption, img[alt], [role="status"], [role="alert"]';
const GESTURE_REST = ['mousedown', 'pointerup', 'mouseup', 'click', 'touchstart', 'touchend', 'dblclick'] as const;

/** The control a tap is on (a label stands for its control), or else the text it is on. */
export function tapTarget(node: EventTarget | null): { element: Element; control: boolean } | undefined {
  if (!(node instanceof Element)) return undefined;
  const label = node.closest('label');
  const control = label?.control ?? node.closest(CONTROL);
  if (control) return { element: control, control: true };
  const text = node.closest(TEXT);
  return text ? { element: text, control: false } : undefined;
}

export interface ExploreOptions {
  speak(element: Element): void;
  /** Taps here act at once (the read-aloud controls, the idle warning's "stay"). */
  passThrough(target: Element): boolean;
}

/** Listens on the window, before the page; returns the function that stops it. */
export function exploreByTouch({ speak, passThrough }: ExploreOptions): () => void {
  const rule = createTapRule<Element>();
  let holding = false;

  const onDown = (event: PointerEvent) => {
    holding = false;
    const target = tapTarget(event.target);
    if (target === undefined || !(event.target instanceof Element) || passThrough(event.target)) return rule.reset();
    if (rule.tap(target.element) === 'activate') return;
    speak(target.element);
    if (!target.control) return;
    holding = true;
    event.preventDefault();
    event.stopPropagation();
  };
  const hold = (event: Event) => {
    if (!holding) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.type === 'click') holding = false;
  };

  window.addEventListener('pointerdown', onDown, true);
  for (const type of GESTURE_REST) window.addEventListener(type, hold, true);
  return () => {
    window.removeEventListener('pointerdown', onDown, true);
    for (const type of GESTURE_REST) window.removeEventListener(type, hold, true);
  };
}
