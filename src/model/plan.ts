import type { Entry, FileOf, LocalEntry, OpaqueEntry, RemoteEntry } from './entries.js';

/*
 * What a run decides to do, the same shape for push and pull: the source's
 * entries of one side, the destination's of the other.
 */

export type CopyReason =
  | 'new'
  | 'md5 differs'
  | 'forced'
  | 'replaces a redirect'
  | 'replaces something else'
  | 'headers changed (too large to copy in place)';

export interface FileCopy<F extends FileOf<Entry> = FileOf<Entry>> {
  key: string;
  /** The source's file. */
  entry: F;
  reason: CopyReason;
}

export interface RedirectCopy {
  key: string;
  /** Target key, relative to the prefix. */
  target: string;
  /** WebsiteRedirectLocation as the source holds it. */
  location: string;
  reason: 'new' | 'target differs' | 'replaces a file' | 'forced';
}

/** An object whose content is up to date but whose headers the rules now set otherwise. */
export interface HeaderUpdate<D extends Entry = Entry> {
  key: string;
  /** The object as the destination holds it. */
  entry: Exclude<D, OpaqueEntry>;
  /** The source file's md5, sent again where the object lost its `md5` metadata. */
  md5?: string;
  reason: 'headers changed';
}

export interface Removal<D extends Entry = Entry> {
  key: string;
  entry: D;
}

export interface Warning {
  key: string;
  message: string;
}

/** In key order; the apply chooses its own order (sync/deploy-order.ts). */
export interface Plan<S extends Entry = Entry, D extends Entry = Entry> {
  copies: FileCopy<FileOf<S>>[];
  redirects: RedirectCopy[];
  updates: HeaderUpdate<D>[];
  deletes: Removal<D>[];
  unchanged: string[];
  warnings: Warning[];
}

export type PushPlan = Plan<LocalEntry, RemoteEntry>;
export type PullPlan = Plan<RemoteEntry, LocalEntry>;
