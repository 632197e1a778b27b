// Which screen is showing and what the viewer should open: shared by the app frame, the Library and the Viewer.
import type { RouteId } from '../screens/routes.ts';

/** A run's test image by content hash, with what the viewer says about it. */
export interface TestImageRef {
  runId: string;
  imageId: string;
  file: string;
  label: 'positive' | 'negative';
}

export class Navigation {
  active = $state<RouteId>('library');
  /** The instance the viewer shows (set by the Library's "Open"); null until one is chosen. */
  viewerInstanceId = $state<number | null>(null);
  /** A dataset item the viewer shows (Results and Curation click-through; PNG patches have no instance). */
  viewerItemId = $state<number | null>(null);
  /** One of a run's test images that is not in the library (a folder-trained run's Results row). */
  viewerTestImage = $state.raw<TestImageRef | null>(null);

  go(route: RouteId): void {
    this.active = route;
  }

  openInViewer(instanceId: number): void {
    this.viewerInstanceId = instanceId;
    this.viewerItemId = null;
    this.viewerTestImage = null;
    this.active = 'viewer';
  }

  openItemInViewer(itemId: number): void {
    this.viewerItemId = itemId;
    this.viewerInstanceId = null;
    this.viewerTestImage = null;
    this.active = 'viewer';
  }

  openTestImageInViewer(image: TestImageRef): void {
    this.viewerTestImage = image;
    this.viewerInstanceId = null;
    this.viewerItemId = null;
    this.active = 'viewer';
  }
}
