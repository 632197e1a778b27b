// DICOM media (CD/DVD/USB with a DICOMDIR): read the directory, show what is on it, import all or a selection.
export { readDicomdir, type DirectoryRecord, type DicomdirContents } from './dicomdir.ts';
export { scanMedia, selectInstances, buildTree } from './media-contents.ts';
export { importMediaFiles, type MediaImportDeps } from './media-import.ts';
export { MediaPathResolver, findDicomdir, mediaName } from './media-paths.ts';
