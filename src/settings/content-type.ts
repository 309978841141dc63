import mime from 'mime';

const TEXT_TYPES = /^(text\/|application\/(javascript|json|xml|manifest\+json)|image\/svg\+xml)|\+(json|xml)$/;

/** The Content-Type for a key, from its extension; text types say they are UTF-8. */
export function contentTypeFor(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  // mime reads a bare name as an extension ("h" would be a C header).
  const type = name.includes('.') ? mime.getType(name) : null;
  if (type === null) return 'application/octet-stream';
  return TEXT_TYPES.test(type) ? `${type}; charset=utf-8` : type;
}
