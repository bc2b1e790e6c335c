import type { StoredObject } from '../api/storage';

/** One level of a bucket seen as folders: sub-folders (common prefixes) and the files here. */
export interface FolderView {
  folders: string[];
  files: StoredObject[];
}

/**
 * Groups a prefix listing by the next '/' after the prefix, as S3 consoles do with a delimiter
 * (the seed's REST listing has no delimiter parameter, so the console does it).
 */
export function folderView(objects: StoredObject[], prefix: string): FolderView {
  const folders = new Set<string>();
  const files: StoredObject[] = [];
  for (const object of objects) {
    if (!object.key.startsWith(prefix)) {
      continue;
    }
    const rest = object.key.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash >= 0) {
      folders.add(prefix + rest.slice(0, slash + 1));
    } else {
      files.push(object);
    }
  }
  return {
    folders: [...folders].sort(),
    files: files.sort((a, b) => a.key.localeCompare(b.key)),
  };
}

/** The breadcrumb trail of a prefix: each ancestor folder with its own prefix. */
export function breadcrumbs(prefix: string): { label: string; prefix: string }[] {
  const trail: { label: string; prefix: string }[] = [];
  let walked = '';
  for (const part of prefix.split('/').filter((p) => p !== '')) {
    walked += `${part}/`;
    trail.push({ label: part, prefix: walked });
  }
  return trail;
}

/** The label of a key or folder inside the current prefix. */
export const nameIn = (prefix: string, keyOrFolder: string) => keyOrFolder.slice(prefix.length);

/** An upload's key: the prefix the user is in plus the file's name. */
export const uploadKey = (prefix: string, fileName: string) => prefix + fileName;
