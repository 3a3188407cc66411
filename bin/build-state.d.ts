/** True when dist/ is missing an output or a source is newer (bin/build-state.js). */
export function isBuildStale(root: string, options?: { web?: boolean }): boolean;
