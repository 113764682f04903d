#!/usr/bin/python3
"""Runs the runnable code blocks of markdown how-tos and prints TAP.

A fenced block is runnable when its info string has the word `test`:

    ```sh test          bash (set -e -o pipefail)
    ```sql test         piped into `isql MyKintone -b -v -d'|' -c`
    ```python test      /usr/bin/python3 (Debian's pyodbc)
    ```js test          node (needs the `odbc` module on NODE_PATH)
    ```r test           Rscript (RODBC), in the C.UTF-8 locale

A runnable block may name what it needs beyond the language's runtime
with `needs=A,B` (R packages for r, modules for python and js), as in
```r test needs=odbc``` for the CRAN odbc package, which Debian 12 does
not package.  When one is missing, the block (and its expected output)
is reported as a skip with the reason, neither run nor counted as passed.

A block right after a runnable block whose info string is `text expect`
lists lines that must each appear (as substrings) in that block's
standard output.  The blocks of one file run in order in one scratch
directory, so a later block can use a file an earlier one wrote.

usage: run_blocks.py [--tap-start N] FILE.md...
Environment: the DSN the blocks name must exist (85-docs.sh creates
MyKintone); DOCS_SKIP_LANGS=js,r skips languages whose runtime is missing.
The last line counts the blocks run, failed and skipped.
"""
import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r'^(\s*)(```+|~~~+)\s*(.*)$')
TIMEOUT = 120


def blocks(path):
    """Yields (line, info, text) for each fenced block of a file."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.group(1), m.group(2), m.group(3).strip()
        start = i + 1
        body = []
        i += 1
        while i < len(lines):
            e = FENCE.match(lines[i])
            if e and e.group(2).startswith(fence[0] * len(fence)) and \
               not e.group(3).strip():
                break
            line = lines[i]
            if indent and line.startswith(indent):
                line = line[len(indent):]
            body.append(line)
            i += 1
        i += 1
        yield start, info, '\n'.join(body) + '\n'


def command(lang, dsn):
    if lang == 'sh':
        return ['bash', '-e', '-o', 'pipefail', '-s']
    if lang == 'sql':
        return ['isql', dsn, '-b', '-v', '-d|', '-c']
    if lang == 'python':
        return ['/usr/bin/python3', '-']
    if lang == 'js':
        return ['node', '-']
    if lang == 'r':
        return ['Rscript', '-']
    return None


def missing_needs(lang, needs, cache={}):
    """The names of `needs` (R packages, Python or Node modules) that
    are not installed, or a reason string when they cannot be checked."""
    out = []
    for name in needs:
        key = (lang, name)
        if key not in cache:
            if lang == 'r':
                cmd = ['Rscript', '-e', 'quit(status = if (requireNamespace('
                       '"%s", quietly = TRUE)) 0 else 1)' % name]
            elif lang == 'python':
                cmd = ['/usr/bin/python3', '-c', 'import %s' % name]
            elif lang == 'js':
                cmd = ['node', '-e', 'require("%s")' % name]
            else:
                return ['%s (needs= is not supported for %s)' % (name, lang)]
            try:
                cache[key] = subprocess.run(
                    cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    timeout=TIMEOUT).returncode == 0
            except (OSError, subprocess.TimeoutExpired):
                cache[key] = False
        if not cache[key]:
            out.append(name)
    return out


NEEDS_WHAT = {'r': 'R package', 'python': 'Python module', 'js': 'Node module'}


def block_env(lang):
    env = dict(os.environ)
    if lang == 'r':
        # R prints non-ASCII text as escapes outside a UTF-8 locale
        env['LC_ALL'] = 'C.UTF-8'
    return env


def main(argv):
    n = 0
    args = argv[1:]
    if args[:1] == ['--tap-start']:
        n = int(args[1])
        args = args[2:]
    skip = set(x for x in os.environ.get('DOCS_SKIP_LANGS', '').split(',')
               if x)
    dsn = os.environ.get('DOCS_DSN', 'MyKintone')
    failed = 0
    skipped = 0
    for path in args:
        work = tempfile.mkdtemp(prefix='howto-')
        last = None          # (label, stdout) of the previous runnable block
        for line, info, text in blocks(path):
            words = info.split()
            label = '%s:%d' % (os.path.relpath(path), line)
            if words[:2] == ['text', 'expect']:
                if last is None:
                    continue
                n += 1
                lbl, out = last
                missing = [l.strip() for l in text.split('\n')
                           if l.strip() and l.strip() not in out]
                if missing:
                    failed += 1
                    print('not ok %d - %s expected output of %s' %
                          (n, label, lbl))
                    for m in missing:
                        print('#   missing: %r' % m)
                    print('#   got:\n' + ''.join('#     ' + o + '\n'
                                                  for o in out.split('\n')))
                else:
                    print('ok %d - %s expected output' % (n, label))
                last = None
                continue
            last = None
            if 'test' not in words[1:] or not words:
                continue
            lang = words[0]
            if lang in skip:
                skipped += 1
                print('# skip %s (%s: runtime not available)' % (label, lang))
                continue
            needs = [x for w in words[1:] if w.startswith('needs=')
                     for x in w[len('needs='):].split(',') if x]
            absent = missing_needs(lang, needs)
            if absent:
                skipped += 1
                print('# skip %s (%s: %s %s not installed)' %
                      (label, lang, NEEDS_WHAT.get(lang, 'dependency'),
                       ', '.join(absent)))
                continue
            cmd = command(lang, dsn)
            n += 1
            if cmd is None:
                failed += 1
                print('not ok %d - %s unknown language %s' % (n, label, lang))
                continue
            if lang == 'sql':
                # isql runs each line as a statement: one line each
                stmts, cur = [], []
                for l in text.split('\n'):
                    if l.strip() and not l.strip().startswith('--'):
                        cur.append(l.strip())
                    if cur and cur[-1].endswith(';'):
                        stmts.append(' '.join(cur))
                        cur = []
                if cur:
                    stmts.append(' '.join(cur))
                text = '\n'.join(stmts) + '\n'
            try:
                p = subprocess.run(cmd, input=text.encode(), cwd=work,
                                   env=block_env(lang),
                                   stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT,
                                   timeout=TIMEOUT)
                out = p.stdout.decode('utf-8', 'replace')
                rc = p.returncode
                if lang == 'sql' and ('[ISQL]ERROR' in out or
                                      re.search(r'^\[[0-9A-Z]{5}\]', out,
                                                re.M)):
                    rc = rc or 1
            except subprocess.TimeoutExpired:
                out, rc = 'timeout after %ds' % TIMEOUT, -1
            if rc == 0:
                print('ok %d - %s %s' % (n, label, lang))
                last = (label, out)
            else:
                failed += 1
                print('not ok %d - %s %s (exit %d)' % (n, label, lang, rc))
                print(''.join('#   ' + o + '\n' for o in out.split('\n')[-30:]))
    print('# ran %d, failed %d, skipped %d' % (n, failed, skipped))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
