/** push: the bucket becomes a copy of the directory; pull: the directory becomes a copy of the bucket. */
export type Direction = 'push' | 'pull';
