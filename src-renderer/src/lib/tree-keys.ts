// Keyboard for a WAI-ARIA tree made of [role="treeitem"] elements: the tree is one tab stop (the item last
// focused), Up/Down move through the items on screen, Right opens an item or enters it, Left closes it or goes to
// its parent, Home/End go to the first and last item, Enter/Space act (open an image, or open/close a node).
// Each treeitem names its own actions: [data-tree-toggle] opens/closes it, [data-tree-open] opens it.

const items = (tree: HTMLElement): HTMLElement[] => [...tree.querySelectorAll<HTMLElement>('[role="treeitem"]')];
const toggleOf = (item: HTMLElement) => item.querySelector<HTMLElement>(':scope > .row [data-tree-toggle], :scope > [data-tree-toggle]');
const openOf = (item: HTMLElement) => item.querySelector<HTMLElement>(':scope [data-tree-open]');

/** Moves the roving tab stop to `item` and focuses it. */
export function focusTreeItem(tree: HTMLElement, item: HTMLElement | undefined): void {
  if (!item) return;
  for (const other of items(tree)) other.tabIndex = other === item ? 0 : -1;
  item.focus();
}

/** Keeps exactly one tab stop in the tree: the focused item, else the one that had it, else the first. */
export function keepOneTabStop(tree: HTMLElement): void {
  const all = items(tree);
  const current = all.find((i) => i === document.activeElement) ?? all.find((i) => i.tabIndex === 0 && i.dataset.roving === 'yes') ?? all[0];
  for (const item of all) {
    item.tabIndex = item === current ? 0 : -1;
    item.dataset.roving = item === current ? 'yes' : 'no';
  }
}

/** Handles one key on a treeitem; returns whether it was the tree's key (the caller then prevents the default). */
export function treeKeydown(tree: HTMLElement, event: KeyboardEvent): boolean {
  const item = event.target instanceof HTMLElement && event.target.getAttribute('role') === 'treeitem' ? event.target : null;
  if (!item || event.altKey || event.ctrlKey || event.metaKey) return false;
  const all = items(tree);
  const index = all.indexOf(item);
  const expanded = item.getAttribute('aria-expanded');
  switch (event.key) {
    case 'ArrowDown':
      focusTreeItem(tree, all[index + 1]);
      return true;
    case 'ArrowUp':
      focusTreeItem(tree, all[index - 1]);
      return true;
    case 'Home':
      focusTreeItem(tree, all[0]);
      return true;
    case 'End':
      focusTreeItem(tree, all[all.length - 1]);
      return true;
    case 'ArrowRight':
      if (expanded === 'false') toggleOf(item)?.click();
      else if (expanded === 'true') {
        const child = all[index + 1];
        if (child && item.contains(child)) focusTreeItem(tree, child);
      }
      return true;
    case 'ArrowLeft': {
      if (expanded === 'true') toggleOf(item)?.click();
      else focusTreeItem(tree, item.parentElement?.closest<HTMLElement>('[role="treeitem"]') ?? undefined);
      return true;
    }
    case 'Enter':
    case ' ':
      if (expanded === null) openOf(item)?.click();
      else toggleOf(item)?.click();
      return true;
    default:
      return false;
  }
}
