// Types of scripts/cli-flags.mjs, for docs.test.ts.
export declare const INPUTS_MODULE: string;
export declare function inputsModule(actionYml: string): string;
export declare function flagsTable(actionYml: string): string;
export declare function withFlagsTable(readme: string, actionYml: string): string;
