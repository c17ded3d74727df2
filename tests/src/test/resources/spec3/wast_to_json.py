"""Converts a WebAssembly 3.0 spec script (.wast) into wast2json's format: a JSON command list and
one .wasm file per module, so the spec harness (SpecScript/ExecutionTier) can run the 3.0 suite.

Modules in text are converted with wasmtime's text parser (wasmtime.wat2wasm, which reads all of
3.0); constants in commands are turned into bits by the same parser (each is compiled as a global
initialiser and read back from the binary), so no float literal is parsed here.

A stop-gap until kiln's own text parser (dev.kiln.frontend.text) runs these scripts.

Usage: python wast_to_json.py SCRIPT.wast OUT_DIR   (writes OUT_DIR/<name>.json and .wasm files)

Value encoding beyond wast2json's: {"type": "ref.null", "value": HEAPTYPE or ""},
{"type": "ref.extern"|"ref.host", "value": N}, {"type": "ref.func"|"ref.any"|..., "value": ""},
{"type": "either", "values": [...]}. Commands added: module_definition, module_instance,
assert_exception.
"""
import json
import os
import re
import sys

import wasmtime


class Token:
    def __init__(self, kind, text, line, start, end):
        self.kind, self.text, self.line, self.start, self.end = kind, text, line, start, end


def tokenize(src):
    tokens, i, line, n = [], 0, 1, len(src)
    while i < n:
        c = src[i]
        if c == '\n':
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif src.startswith(';;', i):
            while i < n and src[i] != '\n':
                i += 1
        elif src.startswith('(;', i):
            depth = 0
            while i < n:
                if src.startswith('(;', i):
                    depth += 1
                    i += 2
                elif src.startswith(';)', i):
                    depth -= 1
                    i += 2
                    if depth == 0:
                        break
                else:
                    if src[i] == '\n':
                        line += 1
                    i += 1
        elif c in '()':
            tokens.append(Token(c, c, line, i, i + 1))
            i += 1
        elif c == '"':
            j = i + 1
            while src[j] != '"':
                j += 2 if src[j] == '\\' else 1
            tokens.append(Token('str', src[i:j + 1], line, i, j + 1))
            i = j + 1
        else:
            j = i
            while j < n and not src[j].isspace() and src[j] not in '()";':
                j += 1
            tokens.append(Token('atom', src[i:j], line, i, j))
            i = j
    return tokens


def parse(tokens):
    """S-expressions as lists; each list remembers its source span and line."""
    stack, top = [], []
    for t in tokens:
        if t.kind == '(':
            node = SList(t.line, t.start)
            (stack[-1] if stack else top).append(node)
            stack.append(node)
        elif t.kind == ')':
            stack.pop().end = t.end
        else:
            (stack[-1] if stack else top).append(t)
    return top


class SList(list):
    def __init__(self, line, start):
        super().__init__()
        self.line, self.start, self.end = line, start, None


def string_bytes(tok):
    s, out, i = tok.text[1:-1], bytearray(), 0
    while i < len(s):
        c = s[i]
        if c != '\\':
            out += c.encode('utf-8')
            i += 1
            continue
        e = s[i + 1]
        if e == 'n':
            out.append(10); i += 2
        elif e == 't':
            out.append(9); i += 2
        elif e == 'r':
            out.append(13); i += 2
        elif e in '"\'\\':
            out.append(ord(e)); i += 2
        elif e == 'u':
            j = s.index('}', i)
            out += chr(int(s[i + 3:j], 16)).encode('utf-8')
            i = j + 1
        else:
            out.append(int(s[i + 1:i + 3], 16)); i += 3
    return bytes(out)


def atom(x):
    return x.text if isinstance(x, Token) else None


class Converter:
    def __init__(self, src, name, out_dir):
        self.src, self.name, self.out_dir = src, name, out_dir
        self.count = 0
        self.commands = []

    def write_module(self, data):
        fn = '%s.%d.wasm' % (self.name, self.count)
        self.count += 1
        with open(os.path.join(self.out_dir, fn), 'wb') as f:
            f.write(data)
        return fn

    def module_bytes(self, node):
        """(module ...) as bytes and its kind ('binary' or 'text'); raises on a text the parser rejects."""
        rest = list(node[1:])
        if rest and atom(rest[0]) == 'definition':
            rest = rest[1:]
        if rest and atom(rest[0]) and atom(rest[0]).startswith('$'):
            rest = rest[1:]
        if rest and atom(rest[0]) == 'binary':
            return b''.join(string_bytes(t) for t in rest[1:]), 'binary'
        if rest and atom(rest[0]) == 'quote':
            text = ''.join(string_bytes(t).decode('utf-8', 'replace') for t in rest[1:])
            return wasmtime.wat2wasm('(module ' + text + ')'), 'text'
        text = self.src[node.start:node.end]
        text = re.sub(r'^\(module\s+definition', '(module', text)
        return wasmtime.wat2wasm(text), 'text'

    @staticmethod
    def module_name(node):
        rest = list(node[1:])
        if rest and atom(rest[0]) == 'definition':
            rest = rest[1:]
        return atom(rest[0]) if rest and atom(rest[0]) and atom(rest[0]).startswith('$') else None

    def const_bits(self, instr_text, valtype):
        """The bits of a constant instruction, read back from a module with it as a global initialiser."""
        wasm = wasmtime.wat2wasm('(module (global %s %s))' % (valtype, instr_text))
        i = 8
        while i < len(wasm):
            sid = wasm[i]
            size, i = leb(wasm, i + 1)
            if sid == 6:
                j = i + 1 + 2  # count (1), valtype, mut
                if valtype == 'v128':
                    j += 2  # 0xFD 0x0C
                    return int.from_bytes(wasm[j:j + 16], 'little')
                opcode = wasm[j]
                if opcode == 0x43:
                    return int.from_bytes(wasm[j + 1:j + 5], 'little')
                if opcode == 0x44:
                    return int.from_bytes(wasm[j + 1:j + 9], 'little')
                v, _ = sleb(wasm, j + 1)
                return v & (0xFFFFFFFF if opcode == 0x41 else 0xFFFFFFFFFFFFFFFF)
            i += size
        raise ValueError('no global in ' + instr_text)

    def value(self, node):
        head = atom(node[0])
        if head == 'either':
            return {'type': 'either', 'values': [self.value(v) for v in node[1:]]}
        typ = head.split('.')[0]
        if head in ('i32.const', 'i64.const', 'f32.const', 'f64.const'):
            lit = atom(node[1])
            if lit.startswith('nan:canonical') or lit.startswith('nan:arithmetic'):
                return {'type': typ, 'value': lit}
            text = self.src[node.start:node.end]
            return {'type': typ, 'value': str(self.const_bits(text, typ))}
        if head == 'v128.const':
            shape = atom(node[1])
            lane_type = shape.split('x')[0]
            lanes = []
            for lit in node[2:]:
                t = atom(lit)
                if t.startswith('nan:'):
                    lanes.append(t)
                else:
                    lt = {'i8': 'i32', 'i16': 'i32'}.get(lane_type, lane_type)
                    bits = self.const_bits('(%s.const %s)' % (lt, t), lt)
                    width = int(lane_type[1:])
                    lanes.append(str(bits & ((1 << width) - 1)))
            return {'type': 'v128', 'lane_type': lane_type, 'value': lanes}
        if head == 'ref.null':
            return {'type': 'ref.null', 'value': atom(node[1]) if len(node) > 1 else ''}
        if head in ('ref.extern', 'ref.host'):
            return {'type': head, 'value': atom(node[1]) if len(node) > 1 else ''}
        if head.startswith('ref.'):
            return {'type': head, 'value': ''}
        raise ValueError('value ' + self.src[node.start:node.end])

    def action(self, node):
        head = atom(node[0])
        rest = list(node[1:])
        module = None
        if rest and atom(rest[0]) and atom(rest[0]).startswith('$'):
            module = atom(rest[0])
            rest = rest[1:]
        field = string_bytes(rest[0]).decode('utf-8')
        a = {'type': head, 'field': field}
        if module:
            a['module'] = module
        if head == 'invoke':
            a['args'] = [self.value(v) for v in rest[1:]]
        return a

    def command(self, node):
        head = atom(node[0])
        c = {'type': head, 'line': node.line}
        if head == 'module':
            if len(node) > 1 and atom(node[1]) == 'instance':
                c['type'] = 'module_instance'
                names = [atom(x) for x in node[2:]]
                c['instance'] = names[0] if len(names) > 1 else None
                c['module'] = names[-1]
                return c
            data, _ = self.module_bytes(node)
            c['filename'] = self.write_module(data)
            if len(node) > 1 and atom(node[1]) == 'definition':
                c['type'] = 'module_definition'
            name = self.module_name(node)
            if name:
                c['name'] = name
            return c
        if head == 'register':
            c['as'] = string_bytes(node[1]).decode('utf-8')
            if len(node) > 2:
                c['name'] = atom(node[2])
            return c
        if head in ('invoke', 'get'):
            c['type'] = 'action'
            c['action'] = self.action(node)
            return c
        if head == 'assert_return':
            c['action'] = self.action(node[1])
            c['expected'] = [self.value(v) for v in node[2:]]
            return c
        if head in ('assert_trap', 'assert_exhaustion', 'assert_exception'):
            target = node[1]
            if atom(target[0]) == 'module':
                c['type'] = 'assert_uninstantiable'
                data, _ = self.module_bytes(target)
                c['filename'] = self.write_module(data)
            else:
                c['action'] = self.action(target)
            if len(node) > 2:
                c['text'] = string_bytes(node[2]).decode('utf-8')
            return c
        if head in ('assert_invalid', 'assert_malformed', 'assert_unlinkable', 'assert_uninstantiable'):
            c['text'] = string_bytes(node[2]).decode('utf-8')
            try:
                data, kind = self.module_bytes(node[1])
            except Exception as e:  # the text parser rejects it: a text-format failure
                c['module_type'] = 'text'
                c['parse_error'] = str(e).splitlines()[0] if str(e) else 'rejected'
                return c
            c['module_type'] = kind if not (head == 'assert_malformed' and kind == 'text') else 'text'
            c['filename'] = self.write_module(data)
            return c
        raise ValueError('unknown command ' + head)


def leb(b, i):
    result = shift = 0
    while True:
        x = b[i]
        i += 1
        result |= (x & 0x7F) << shift
        shift += 7
        if not x & 0x80:
            return result, i


def sleb(b, i):
    result = shift = 0
    while True:
        x = b[i]
        i += 1
        result |= (x & 0x7F) << shift
        shift += 7
        if not x & 0x80:
            if x & 0x40:
                result -= 1 << shift
            return result, i


def main():
    path, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    name = os.path.splitext(os.path.basename(path))[0]
    with open(path, encoding='utf-8') as f:
        src = f.read()
    conv = Converter(src, name, out_dir)
    for node in parse(tokenize(src)):
        try:
            conv.commands.append(conv.command(node))
        except Exception as e:
            conv.commands.append({'type': 'unconvertible', 'line': node.line, 'text': str(e).splitlines()[0] if str(e) else repr(e)})
    with open(os.path.join(out_dir, name + '.json'), 'w') as f:
        json.dump({'source_filename': os.path.basename(path), 'commands': conv.commands}, f, indent=1)


if __name__ == '__main__':
    main()
