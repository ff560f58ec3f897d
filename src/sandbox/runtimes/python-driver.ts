/** Python source of the per-run driver, installed once per interpreter (kept as a string so every environment can load it). */
export const PYTHON_DRIVER = String.raw`
# Runs one user program inside Pyodide. Installed once per interpreter, called per run.
import os
import sys
import traceback
import types

_ISOBOX_ROOT = "/workspace"
# Deeper Python recursion overflows the JavaScript stack, which kills the interpreter for good;
# a capped limit turns a recursion bomb into a clean RecursionError.
_ISOBOX_MAX_RECURSION = 3000


def _isobox_cap_recursion(set_limit=sys.setrecursionlimit, cap=_ISOBOX_MAX_RECURSION):
    def setrecursionlimit(limit):
        set_limit(min(int(limit), cap))

    setrecursionlimit.__doc__ = set_limit.__doc__
    sys.setrecursionlimit = setrecursionlimit


_isobox_cap_recursion()


def _isobox_install_audit(report):
    # PEP 578: an audit hook cannot be removed once added; it reports what the program touches.
    watched_processes = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.fork", "os.spawn")
    pending_url = [False]

    def hook(event, args):
        if event == "open":
            path, mode = args[0], args[1]
            if isinstance(path, str) and isinstance(mode, str) and not any(c in mode for c in "wax+"):
                report("read", os.path.abspath(path))
        elif event == "urllib.Request":
            pending_url[0] = True
            report("network", "urlopen " + str(args[0]))
        elif event == "socket.connect":
            # urlopen's own connect was already reported as the request.
            if pending_url[0]:
                pending_url[0] = False
                return
            report("network", "socket.connect " + repr(args[1])[:200])
        elif event in watched_processes:
            report("syscall", (event + " " + repr(args[0]))[:200])

    sys.addaudithook(hook)


import builtins

# What a run may change for the runs after it, as it was before any user code ran: restored at
# the start of every run, so a hostile run cannot silence or falsify the next (builtins.print,
# sys.stdout, import hooks). Modules of the standard library stay shared (documented).
_ISOBOX_BUILTINS = dict(builtins.__dict__)
_ISOBOX_SYS = {name: getattr(sys, name) for name in ("stdin", "stdout", "stderr", "displayhook", "excepthook", "breakpointhook") if hasattr(sys, name)}
_ISOBOX_META_PATH = list(sys.meta_path)
_ISOBOX_PATH_HOOKS = list(sys.path_hooks)


# Set by the runtime before a run whose stdin is the user's terminal.
_ISOBOX_INTERACTIVE = [False]


def _isobox_set_interactive(interactive):
    _ISOBOX_INTERACTIVE[0] = bool(interactive)


def _isobox_unbuffered(stream):
    # Writes go straight to the terminal: a prompt printed with print(..., end="") shows before
    # the program waits on sys.stdin (the worker cannot call into Python while it waits).
    import io

    raw = io.FileIO(stream.fileno(), "w", closefd=False)
    return io.TextIOWrapper(raw, encoding=stream.encoding, errors=stream.errors, line_buffering=True, write_through=True)


def _isobox_restore_interpreter():
    builtins.__dict__.clear()
    builtins.__dict__.update(_ISOBOX_BUILTINS)
    for name, value in _ISOBOX_SYS.items():
        setattr(sys, name, value)
    if _ISOBOX_INTERACTIVE[0]:
        sys.stdout = _isobox_unbuffered(_ISOBOX_SYS["stdout"])
        sys.stderr = _isobox_unbuffered(_ISOBOX_SYS["stderr"])
    sys.meta_path[:] = _ISOBOX_META_PATH
    sys.path_hooks[:] = _ISOBOX_PATH_HOOKS
    sys.path_importer_cache.clear()


def _isobox_forget_workspace_modules():
    # A user may edit helper.py between runs: drop modules imported from the workspace.
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if path.startswith(_ISOBOX_ROOT + "/"):
            del sys.modules[name]


# The environment every run starts from: the browser and Node agree on it, and nothing of the
# host (its locale, the worker script's path in "_") leaks in.
_ISOBOX_BASE_ENV = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "USER", "LOGNAME", "PYTHONHOME")}
_ISOBOX_BASE_ENV["LANG"] = "C.UTF-8"


def _isobox_empty_tmp():
    # /tmp is scratch for one run, for every runtime: what an earlier run left there is gone.
    import shutil
    for name in os.listdir("/tmp"):
        path = os.path.join("/tmp", name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            try:
                os.unlink(path)
            except OSError:
                pass


def _isobox_run(code, filename, argv, cwd, env, debugger=None):
    _isobox_restore_interpreter()
    _isobox_empty_tmp()
    _isobox_forget_workspace_modules()
    os.environ.clear()
    os.environ.update(_ISOBOX_BASE_ENV)
    os.environ.update(env)
    os.environ["PWD"] = cwd
    os.chdir(cwd)
    sys.argv = list(argv)
    script_dir = os.path.dirname(filename)
    sys.path[:] = [p for p in sys.path if not p.startswith(_ISOBOX_ROOT)]
    sys.path.insert(0, script_dir)
    main = types.ModuleType("__main__")
    main.__file__ = filename
    sys.modules["__main__"] = main
    try:
        compiled = compile(code, filename, "exec")
        # The debugger (python-debugger-source.ts) traces only the user's frames, not this one.
        if debugger is not None:
            debugger.start(code, filename)
        exec(compiled, main.__dict__)
        return [0, "ok"]
    except SystemExit as exit:
        if exit.code is None:
            return [0, "ok"]
        if isinstance(exit.code, int):
            return [exit.code & 0xFF, "ok" if exit.code == 0 else "error"]
        print(exit.code, file=sys.stderr)
        return [1, "error"]
    except KeyboardInterrupt:
        return [130, "interrupted"]
    except MemoryError as error:
        traceback.print_exception(type(error), error, error.__traceback__.tb_next)
        return [137, "oom"]
    except BaseException as error:
        traceback.print_exception(type(error), error, error.__traceback__.tb_next)
        if debugger is not None:
            debugger.post_mortem(error)
        if isinstance(error, RuntimeError) and ("stack switch" in str(error) or "Cannot stack switch" in str(error)):
            print("isobox: asyncio.run() and run_sync need WebAssembly stack switching (JSPI), which this JavaScript runtime does not have (Node.js 20); they work in the browser", file=sys.stderr)
        if isinstance(error, EOFError) and "reading a line" in str(error):
            print("isobox: input() found no more stdin; give the program input, e.g. python main.py < input.txt", file=sys.stderr)
        return [1, "error"]
    finally:
        if debugger is not None:
            debugger.finish()
        sys.stdout.flush()
        sys.stderr.flush()
`;
