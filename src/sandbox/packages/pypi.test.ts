import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { micropipRequests } from '../runtimes/micropip-shim.ts';
import { choosePureWheel, pypiDocumentUrl, pypiIndexUrl, wheelTopLevel } from './pypi.ts';

const DOC = 'http://127.0.0.1:9/pypi/demo/json';
const file = (filename: string, sha = 'a'.repeat(64)) => ({ filename, url: `../files/${filename}`, packagetype: 'bdist_wheel', size: 10, digests: { sha256: sha } });

describe('PyPI JSON index', () => {
  it('picks the pure wheel of the newest release and resolves its URL against the document', () => {
    const wheel = choosePureWheel('demo', { info: { name: 'Demo', version: '2.0' }, urls: [file('demo-2.0-cp314-cp314-win_amd64.whl'), file('demo-2.0-py2.py3-none-any.whl', 'B'.repeat(64)), file('demo-2.0.tar.gz')] }, DOC);
    expect(wheel).toEqual({ name: 'Demo', version: '2.0', fileName: 'demo-2.0-py2.py3-none-any.whl', url: 'http://127.0.0.1:9/pypi/files/demo-2.0-py2.py3-none-any.whl', sha256: 'b'.repeat(64), size: 10 });
  });

  it('refuses a package with only native wheels, or only a source archive, saying why', () => {
    expect(() => choosePureWheel('np', { info: { name: 'np', version: '1' }, urls: [file('np-1-cp314-cp314-manylinux_2_17_x86_64.whl')] }, DOC)).toThrow('cannot install np 1 from PyPI: it has a native extension');
    expect(() => choosePureWheel('src', { info: { name: 'src', version: '1' }, urls: [file('src-1.tar.gz')] }, DOC)).toThrow('it has no wheel (only src-1.tar.gz)');
    expect(() => choosePureWheel('x', { info: {}, urls: [file('x-1-py3-none-any.whl', 'nope')] }, DOC)).toThrow('has no sha256 digest; refused');
    expect(() => choosePureWheel('x', { message: 'hi' }, DOC)).toThrow('is not a PyPI JSON document');
  });

  it('normalizes the index URL (its documented NAME/json form too) and the document URL', () => {
    expect(pypiIndexUrl('https://pypi.org/pypi/NAME/json')).toBe('https://pypi.org/pypi/');
    expect(pypiIndexUrl('http://127.0.0.1:8000/simple')).toBe('http://127.0.0.1:8000/simple/');
    expect(() => pypiIndexUrl('file:///etc/')).toThrow('must be an http(s) URL');
    expect(() => pypiIndexUrl('nope')).toThrow('is not a URL');
    expect(pypiDocumentUrl('https://pypi.org/pypi/', 'Typing_Extensions')).toBe('https://pypi.org/pypi/typing-extensions/json');
  });

  it("lists a wheel's top-level modules, not its dist-info", () => {
    const bytes = zipSync({ 'pkg/__init__.py': strToU8(''), 'single.py': strToU8(''), 'pkg-1.dist-info/METADATA': strToU8('') });
    expect(wheelTopLevel(bytes).sort()).toEqual(['pkg', 'single']);
  });
});

describe('micropip.install names seen before a run', () => {
  it('reads string literals, lists and tuples; leaves computed names alone', () => {
    expect(micropipRequests('import micropip\nawait micropip.install("attrs")\nmicropip.install([\'six\', "idna"])\nmicropip.install(("a",))\nmicropip.install(name)\n')).toEqual(['attrs', 'six', 'idna', 'a']);
    expect(micropipRequests('print("micropip")')).toEqual([]);
  });
});
