import packageJson from '../package.json' with { type: 'json' };

/** The action's version, as the release that users pin says it. */
export const version: string = packageJson.version;
