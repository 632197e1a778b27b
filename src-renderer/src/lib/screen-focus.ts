// Where focus goes when a screen opens, so it never drops to the page body: the screen's own working place when it
// has one (the Viewer's image, the Library tree's current item, the Curation grid's cursor cell), else its title.
// The Viewer's image appears only once the file is read, so focus moves there when it does, unless the person has
// put it somewhere else meanwhile.

const WORK_PLACE = ['[data-testid="viewport"]', '[role="tree"] [role="treeitem"][tabindex="0"]', '[role="grid"] [tabindex="0"]'].join(', ');
const WAIT_FRAMES = 120;

function title(main: HTMLElement): HTMLElement | null {
  const heading = main.querySelector<HTMLElement>('#screen-title');
  if (heading && heading.tabIndex < 0) heading.tabIndex = -1;
  return heading;
}

/** Focuses the opened screen's working place or title; returns a function that stops waiting for it. */
export function focusOpenedScreen(main: HTMLElement): () => void {
  let frame = 0;
  let handle = 0;
  const settled = () => document.activeElement === null || document.activeElement === document.body || document.activeElement === title(main);
  const attempt = () => {
    const place = main.querySelector<HTMLElement>(WORK_PLACE);
    if (place) {
      if (settled()) place.focus({ preventScroll: false });
      return;
    }
    if (frame === 0 && settled()) title(main)?.focus();
    if (++frame < WAIT_FRAMES) handle = requestAnimationFrame(attempt);
  };
  handle = requestAnimationFrame(attempt);
  return () => cancelAnimationFrame(handle);
}
