/**
 * Python source of the debugger (a `bdb.Bdb`), the line recorder and the post-mortem capture.
 * Installed into an interpreter the first time a run asks for one of them, so a plain run never
 * pays for it. The driver (python-driver.ts) calls the object's start/post_mortem/finish.
 */
export const PYTHON_DEBUGGER = String.raw`
import bdb
import json
import linecache
import reprlib
import sys
import types

_ISOBOX_DBG_ROOT = "/workspace/"
_ISOBOX_DBG_REPR_CHARS = 200
_ISOBOX_DBG_VARS = 100
_ISOBOX_DBG_FRAMES = 40
_ISOBOX_DBG_REPR = reprlib.Repr(maxlevel=3, maxtuple=20, maxlist=20, maxarray=20, maxdict=20, maxset=20, maxfrozenset=20, maxdeque=20, maxstring=_ISOBOX_DBG_REPR_CHARS, maxlong=100, maxother=_ISOBOX_DBG_REPR_CHARS)


def _isobox_dbg_is_user(filename):
    return filename.startswith(_ISOBOX_DBG_ROOT) or filename == "<string>"


def _isobox_dbg_rel(filename):
    return filename[len(_ISOBOX_DBG_ROOT):] if filename.startswith(_ISOBOX_DBG_ROOT) else filename


def _isobox_dbg_abs(rel):
    return rel if rel.startswith("<") else _ISOBOX_DBG_ROOT + rel


def _isobox_dbg_repr(value):
    # A user __repr__ may raise anything; a huge container is cut by reprlib, not built in full.
    try:
        text = _ISOBOX_DBG_REPR.repr(value)
    except BaseException as error:
        text = "<repr failed: " + type(error).__name__ + ">"
    if len(text) > _ISOBOX_DBG_REPR_CHARS:
        text = text[: _ISOBOX_DBG_REPR_CHARS - 1] + "\u2026"
    return text


_ISOBOX_DBG_CHILDREN = 20


def _isobox_dbg_children(value):
    # One level of a container, for the UI to expand; never more than a few items.
    try:
        if isinstance(value, dict):
            items = [(_isobox_dbg_repr(k), v) for k, v in list(value.items())[:_ISOBOX_DBG_CHILDREN]]
        elif isinstance(value, (list, tuple)):
            items = [("[" + str(i) + "]", v) for i, v in enumerate(value[:_ISOBOX_DBG_CHILDREN])]
        elif isinstance(value, (set, frozenset)):
            items = [("\u2022", v) for v in list(value)[:_ISOBOX_DBG_CHILDREN]]
        elif not isinstance(value, (type, types.FunctionType, types.ModuleType)) and isinstance(getattr(value, "__dict__", None), dict):
            items = [("." + k, v) for k, v in list(vars(value).items())[:_ISOBOX_DBG_CHILDREN]]
        else:
            return None
    except BaseException:
        return None
    return [{"name": name, "repr": _isobox_dbg_repr(v)} for name, v in items] if items else None


def _isobox_dbg_variable(name, value, scope, expand):
    variable = {"name": name, "repr": _isobox_dbg_repr(value), "scope": scope}
    children = _isobox_dbg_children(value) if expand else None
    if children:
        variable["children"] = children
    return variable


def _isobox_dbg_shown_global(name, value):
    return not (name.startswith("__") and name.endswith("__")) and not isinstance(value, types.ModuleType)


def _isobox_dbg_variables(frame, with_globals=True):
    # A pause (with_globals) lets containers expand; a trace step keeps to reprs, for size.
    out = []
    module_level = frame.f_locals is frame.f_globals
    if not module_level:
        for name, value in list(frame.f_locals.items())[:_ISOBOX_DBG_VARS]:
            out.append(_isobox_dbg_variable(name, value, "local", with_globals))
        if not with_globals:
            return out
    shown = 0
    for name, value in list(frame.f_globals.items()):
        if shown >= _ISOBOX_DBG_VARS:
            break
        if _isobox_dbg_shown_global(name, value):
            out.append(_isobox_dbg_variable(name, value, "global", with_globals))
            shown += 1
    return out


def _isobox_dbg_frames(frame):
    # (frame, line) of user code, innermost first.
    out = []
    while frame is not None and len(out) < _ISOBOX_DBG_FRAMES:
        if _isobox_dbg_is_user(frame.f_code.co_filename):
            out.append((frame, frame.f_lineno))
        frame = frame.f_back
    return out


def _isobox_dbg_stack(frames):
    return [{"function": f.f_code.co_name, "file": _isobox_dbg_rel(f.f_code.co_filename), "line": line} for f, line in frames]


def _isobox_dbg_pause(frames, reason, exception=None):
    pause = {"reason": reason, "stack": _isobox_dbg_stack(frames), "variables": [_isobox_dbg_variables(f) for f, _ in frames]}
    if exception is not None:
        pause["exception"] = exception
    return pause


def _isobox_dbg_post_mortem(error):
    frames = []
    tb = error.__traceback__
    while tb is not None:
        if _isobox_dbg_is_user(tb.tb_frame.f_code.co_filename):
            frames.append((tb.tb_frame, tb.tb_lineno))
        tb = tb.tb_next
    if not frames:
        return None
    frames.reverse()
    text = type(error).__name__
    message = str(error)
    if message:
        text += ": " + message[:500]
    return _isobox_dbg_pause(frames[:_ISOBOX_DBG_FRAMES], "exception", text)


def _isobox_dbg_fit(end, capacity):
    # The channel has a fixed size: a recording too large for it keeps its first steps.
    text = json.dumps(end, ensure_ascii=False)
    trace = end.get("trace")
    while len(text.encode("utf-8")) > capacity and trace is not None and len(trace["steps"]) > 1:
        trace["steps"] = trace["steps"][: len(trace["steps"]) // 2]
        trace["capped"] = True
        text = json.dumps(end, ensure_ascii=False)
    if len(text.encode("utf-8")) > capacity:
        text = json.dumps({"kind": "end"})
    return text


class _IsoboxDebugRun:
    """Post-mortem only: no trace function; an uncaught exception's frames are kept for the host."""

    def __init__(self, channel):
        self.channel = channel
        self.end = {"kind": "end"}

    def start(self, code, filename):
        # Breakpoints and reprs of the main file need its lines even when it is not on disk (-c).
        linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)

    def stop(self):
        pass

    def post_mortem(self, error):
        self.stop()
        pause = _isobox_dbg_post_mortem(error)
        if pause is not None:
            self.end["postMortem"] = pause

    def finish(self):
        self.stop()
        self.channel.end(_isobox_dbg_fit(self.end, self.channel.capacity))


class _IsoboxDebugger(bdb.Bdb, _IsoboxDebugRun):
    """Pauses at breakpoints and steps (mode debug), or records hits and goes on (mode collect)."""

    def __init__(self, channel, mode, breakpoints, watch, max_hits):
        # sys.monitoring (PEP 669) turns off line events where nothing can stop: a run with breakpoints
        # elsewhere costs far less than with sys.settrace.
        bdb.Bdb.__init__(self, backend="monitoring")
        _IsoboxDebugRun.__init__(self, channel)
        self.mode = mode
        self.wanted = breakpoints
        self.watch = watch
        self.max_hits = max_hits
        self.hits = []
        self.started = False
        # Where the last pause was and the frame the last step command was given in: a step that
        # leaves a function by its return pauses in the caller once, never twice at one place.
        self.last_pause = None
        self.command_frame = None

    def set_breakpoints(self, breakpoints):
        self.clear_all_breaks()
        for rel, lines in breakpoints.items():
            for line in lines:
                self.set_break(_isobox_dbg_abs(rel), int(line))

    def start(self, code, filename):
        _IsoboxDebugRun.start(self, code, filename)
        self.reset()
        self.set_breakpoints(self.wanted)
        if self.mode == "collect":
            self.end["hits"] = self.hits
            if not self.breaks:
                return
        self.start_trace()

    def stop(self):
        self.stop_trace()
        self.quitting = True

    def stop_here(self, frame):
        # Only the user's files are stepped through; the standard library runs at full speed.
        return _isobox_dbg_is_user(frame.f_code.co_filename) and bdb.Bdb.stop_here(self, frame)

    def user_call(self, frame, argument_list):
        pass

    def user_return(self, frame, return_value):
        # Stepping past a function's last line lands on the caller's line, which may have no
        # line event left (return f(x)): the caller's return is then where the step stops.
        if self.mode != "debug" or not self.started or frame is self.command_frame:
            return
        if self.last_pause == (frame, frame.f_lineno):
            return
        self.interact(frame, "step", True)

    def user_exception(self, frame, exc_info):
        pass

    def user_line(self, frame):
        at_break = frame.f_lineno in self.breaks.get(self.canonic(frame.f_code.co_filename), ())
        if not self.started:
            # reset() stops at the first line; a run only stops where the user asked.
            self.started = True
            if not at_break:
                self.set_continue()
                return
        if self.mode == "collect":
            self.record_hit(frame)
            self.set_continue()
            return
        self.interact(frame, "breakpoint" if at_break else "step")

    def record_hit(self, frame):
        if len(self.hits) >= self.max_hits:
            self.end["hitsCapped"] = True
            self.clear_all_breaks()
            return
        watches = []
        for expr in self.watch:
            try:
                value = _isobox_dbg_repr(eval(expr, frame.f_globals, frame.f_locals))
            except BaseException as error:
                value = "<" + type(error).__name__ + ": " + str(error)[:100] + ">"
            watches.append({"expr": expr, "value": value})
        self.hits.append({"stack": _isobox_dbg_stack(_isobox_dbg_frames(frame)), "watches": watches})

    def interact(self, frame, reason, returning=False):
        self.last_pause = (frame, frame.f_lineno)
        event = {"kind": "pause", "pause": _isobox_dbg_pause(_isobox_dbg_frames(frame), reason)}
        # A line printed without its newline yet shows in the terminal before the run waits.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        command = json.loads(self.channel.pause(json.dumps(event, ensure_ascii=False)))
        while command.get("kind") == "breakpoints":
            self.set_breakpoints(command.get("breakpoints") or {})
            command = json.loads(self.channel.wait())
        kind = command.get("kind")
        self.command_frame = frame if kind in ("step-over", "step-out") else None
        if kind == "continue":
            self.set_continue()
        elif kind == "step-over" and not returning:
            self.set_next(frame)
        elif kind in ("step-into", "step-over"):
            self.set_step()
        elif kind == "step-out":
            self.set_return(frame)
        else:
            # Stop: ends the run the way Ctrl-C does.
            raise KeyboardInterrupt


class _IsoboxTee:
    """A stream that also keeps what is written, so each recorded step knows the output so far."""

    def __init__(self, stream, recorder):
        self._stream = stream
        self._recorder = recorder

    def write(self, text):
        self._recorder.wrote(text)
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


class _IsoboxTracer(_IsoboxDebugRun):
    """Records every line event of the user's files, up to max_steps."""

    def __init__(self, channel, max_steps):
        _IsoboxDebugRun.__init__(self, channel)
        self.max_steps = max_steps
        self.steps = []
        self.output = []
        self.output_length = 0
        self.capped = False
        self.streams = None
        self.filename = None

    def wrote(self, text):
        if isinstance(text, str) and not self.capped:
            self.output.append(text)
            self.output_length += len(text)

    def start(self, code, filename):
        _IsoboxDebugRun.start(self, code, filename)
        self.filename = filename
        self.streams = (sys.stdout, sys.stderr)
        sys.stdout = _IsoboxTee(sys.stdout, self)
        sys.stderr = _IsoboxTee(sys.stderr, self)
        sys.settrace(self.trace)

    def stop(self):
        sys.settrace(None)
        if self.streams is not None:
            sys.stdout, sys.stderr = self.streams
            self.streams = None

    def trace(self, frame, event, arg):
        code = frame.f_code
        if not _isobox_dbg_is_user(code.co_filename):
            return None
        # The main module's return is the last step: its final variables and all its output.
        if event == "line" or (event == "return" and code.co_name == "<module>" and code.co_filename == self.filename):
            if len(self.steps) >= self.max_steps:
                self.capped = True
                sys.settrace(None)
                return None
            self.steps.append({"stack": _isobox_dbg_stack(_isobox_dbg_frames(frame)), "variables": _isobox_dbg_variables(frame, False), "outputLength": self.output_length})
        return self.trace

    def finish(self):
        self.stop()
        self.end["trace"] = {"steps": self.steps, "output": "".join(self.output), "capped": self.capped, "maxSteps": self.max_steps}
        _IsoboxDebugRun.finish(self)


def _isobox_make_debugger(channel, mode, breakpoints_json, watch_json, max_hits, max_steps):
    if mode == "postmortem":
        return _IsoboxDebugRun(channel)
    if mode == "trace":
        return _IsoboxTracer(channel, int(max_steps))
    return _IsoboxDebugger(channel, mode, json.loads(breakpoints_json), json.loads(watch_json), int(max_hits))
`;
