import type { ESLint } from "eslint";

declare const plugin: ESLint.Plugin;
export default plugin;
export declare function moduleOf(path: string): string | null;
