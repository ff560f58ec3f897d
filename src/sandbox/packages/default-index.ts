/** The Pyodide version bundled with Isobox (node_modules/pyodide); its packages are built for it. */
export const PYODIDE_VERSION = '314.0.7';

/** Pyodide's official package folder for the bundled version: its pyodide-lock.json and wheels. */
export const DEFAULT_PACKAGE_INDEX = `https://cdn.jsdelivr.net/pyodide/v${PYODIDE_VERSION}/full/`;
