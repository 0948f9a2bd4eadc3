import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src-main/profiles/csv';
import { decodeText } from '../../src-main/profiles/decode';

describe('readCsv', () => {
  it('reads quoted commas, doubled quotes, embedded newlines and CRLF, skipping blank lines', () => {
    const text = 'a,b,c\r\n\r\n"x, y","say ""hi""","line1\r\nline2"\r\n\n1,,3';
    expect(readCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line1\r\nline2'],
      ['1', '', '3'],
    ]);
  });

  it('keeps a final row without a line end and empty trailing fields', () => {
    expect(readCsv('a,b\n1,')).toEqual([['a', 'b'], ['1', '']]);
  });
});

describe('decodeText', () => {
  it('tells UTF-8, UTF-8 with a BOM and GBK apart', () => {
    expect(decodeText(Buffer.from('名字'))).toEqual({ encoding: 'utf-8', text: '名字' });
    expect(decodeText(Buffer.from('\uFEFF名字'))).toEqual({ encoding: 'utf-8-bom', text: '名字' });
    expect(decodeText(Buffer.from('d5c5c8fd2cc0eecbc4', 'hex'))).toEqual({ encoding: 'gbk', text: '张三,李四' });
  });
});
