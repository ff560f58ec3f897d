import type { PyodideAPI } from 'pyodide';

/**
 * Isobox's `micropip`: user code cannot download anything through it. The host installs what a
 * program names in `micropip.install("name")` before the program starts (after consent, from the
 * PyPI index, sha256 checked); at run time `install` only checks that it was installed, and says
 * how to install it when not (a name computed at run time, for instance).
 */
const SHIM = String.raw`
def _isobox_install_micropip():
    import sys, types
    if getattr(sys.modules.get("micropip"), "_isobox", False):
        return
    m = types.ModuleType("micropip", "Isobox's micropip: packages named in micropip.install(\"name\") are installed before the program starts, after you allow them.")
    m._isobox = True

    class _Installed:
        def __await__(self):
            return iter(())

    def _distribution(name):
        from importlib.metadata import distribution, PackageNotFoundError
        try:
            return distribution(name)
        except PackageNotFoundError:
            return None

    def install(requirements, *args, **kwargs):
        names = [requirements] if isinstance(requirements, str) else list(requirements)
        missing = [n for n in names if not isinstance(n, str) or _distribution(n) is None]
        if missing:
            raise ValueError(
                "micropip.install: %s is not installed. In Isobox, PyPI packages are installed before the "
                "program starts (after you allow them) when the program names them as text, e.g. "
                "micropip.install(\"name\"), or with pip install name in the terminal; micropip cannot "
                "download at run time." % ", ".join(map(str, missing))
            )
        return _Installed()

    def _list():
        from importlib.metadata import distributions
        return {d.metadata["Name"]: d.version for d in distributions()}

    m.install = install
    m.list = _list
    sys.modules["micropip"] = m

_isobox_install_micropip()
del _isobox_install_micropip
`;

/** Puts the shim in `sys.modules["micropip"]` (again after a reset; a no-op when it is there). */
export function installMicropipShim(py: PyodideAPI): void {
  py.runPython(SHIM);
}

const CALL = /\bmicropip\s*\.\s*install\s*\(\s*(\[[^\]]*\]|\([^)]*\)|'[^'\n]*'|"[^"\n]*")/g;
const LITERAL = /'([^'\n]*)'|"([^"\n]*)"/g;

/**
 * The names a program passes as text to `micropip.install(...)` (a string, or a list or tuple of
 * strings). Names computed at run time are not seen: the shim then says how to install them.
 */
export function micropipRequests(code: string): string[] {
  if (!code.includes('micropip')) return [];
  const names = new Set<string>();
  for (const call of code.matchAll(CALL)) {
    for (const literal of (call[1] ?? '').matchAll(LITERAL)) {
      const name = (literal[1] ?? literal[2] ?? '').trim();
      if (name !== '') names.add(name);
    }
  }
  return [...names];
}
