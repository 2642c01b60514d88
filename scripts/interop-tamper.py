#!/usr/bin/env python3
"""Make tampered copies of a signed PDF for scripts/interop.

    interop-tamper.py KIND IN.pdf OUT.pdf

KIND:
  flip         flip one byte inside the first signed range (a byte inside
               stream data when one lies wholly in that range, else the
               header version digit), so the file still parses
  append       append a well-formed incremental update that replaces the
               first page's content stream (same xref form as the last section)
  byterange    shrink the last /ByteRange length of the newest signature by
               one (same token width, so offsets stay put)
  trailing     append garbage bytes after the final %%EOF (no xref)

Needs pikepdf for `append`.
"""
import re
import sys
import zlib


def last_byterange(data):
    ms = list(re.finditer(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data))
    if not ms:
        sys.exit("no /ByteRange found")
    return ms[-1]


def flip(data):
    m = last_byterange(data)
    b = int(m.group(2))
    for s in re.finditer(rb"stream\r?\n", data[:b]):
        start = s.end()
        end = data.find(b"endstream", start)
        if data[max(0, s.start() - 3):s.start()] == b"end":
            continue
        # skip object and xref streams: a flipped byte there makes the file
        # unparseable instead of testing the digest check
        head = data[data.rfind(b" obj", 0, s.start()):s.start()]
        if b"/ObjStm" in head or b"/XRef" in head:
            continue
        if end != -1 and end <= b and end - start >= 16:
            pos = start + (end - start) // 2
            break
    else:
        pos = data.index(b"%PDF-") + 7  # the minor version digit
    out = bytearray(data)
    out[pos] ^= 0x01
    return bytes(out), f"flipped byte {pos} (signed range ends at {b})"


def byterange(data):
    m = last_byterange(data)
    d = m.group(4)
    new = str(int(d) - 1).encode()
    new = new + b" " * (len(d) - len(new))
    out = data[:m.start(4)] + new + data[m.end(4):]
    return out, f"/ByteRange last length {d.decode()} -> {new.decode().strip()}"


def trailing(data):
    return data + b"\n% appended after EOF\n1 0 obj\n<< >>\nendobj\n", "garbage after %%EOF"


def append(data, path):
    import pikepdf
    prev = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    is_stream = not data[prev:prev + 4] == b"xref"
    with pikepdf.open(path) as p:
        size = int(p.trailer.Size)
        root = p.Root.objgen
        info = p.trailer.get("/Info")
        info = info.objgen if info is not None and info.is_indirect else None
        ids = [bytes(x).hex().encode() for x in p.trailer.ID] if "/ID" in p.trailer else None
        contents = p.pages[0].obj.Contents
        if isinstance(contents, pikepdf.Array):
            contents = contents[0]
        if not contents.is_indirect:
            sys.exit("page content stream is direct")
        num, gen = contents.objgen
    payload = b"q 1 0 0 rg 50 300 400 200 re f Q"
    if not data.endswith(b"\n"):
        data += b"\n"
    off = len(data)
    obj = (b"%d %d obj\n<< /Length %d >>\nstream\n" % (num, gen, len(payload))
           + payload + b"\nendstream\nendobj\n")
    xref_off = off + len(obj)
    extra = b" /Root %d %d R /Prev %d" % (root[0], root[1], prev)
    if info:
        extra += b" /Info %d %d R" % info
    if ids:
        extra += b" /ID [<%s> <%s>]" % (ids[0], ids[1])
    if not is_stream:
        tail = (b"xref\n0 1\n0000000000 65535 f\r\n%d 1\n%010d %05d n\r\n" % (num, off, gen)
                + b"trailer\n<< /Size %d" % size + extra + b" >>\n")
    else:
        xnum = size
        rows = (bytes([1]) + off.to_bytes(4, "big") + gen.to_bytes(2, "big")
                + bytes([1]) + xref_off.to_bytes(4, "big") + (0).to_bytes(2, "big"))
        z = zlib.compress(rows)
        tail = (b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Index [%d 1 %d 1] /Filter /FlateDecode /Length %d"
                % (xnum, size + 1, num, xnum, len(z)) + extra + b" >>\nstream\n" + z + b"\nendstream\nendobj\n")
    tail += b"startxref\n%d\n%%%%EOF\n" % xref_off
    return data + obj + tail, f"replaced content stream {num} {gen} R ({'xref stream' if is_stream else 'xref table'} update)"


def main():
    kind, src, dst = sys.argv[1:4]
    data = open(src, "rb").read()
    if kind == "flip":
        out, what = flip(data)
    elif kind == "byterange":
        out, what = byterange(data)
    elif kind == "append":
        out, what = append(data, src)
    elif kind == "trailing":
        out, what = trailing(data)
    else:
        sys.exit(f"unknown kind {kind}")
    if out == data:
        sys.exit("tamper produced an identical file")
    open(dst, "wb").write(out)
    print(what)


if __name__ == "__main__":
    main()
