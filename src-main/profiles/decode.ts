// Text decoding for imported files: UTF-8 (with or without a BOM) when the bytes are valid UTF-8,
// otherwise GBK, the usual encoding of spreadsheets saved on Chinese Windows.
export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'gbk';

export interface DecodedText {
  encoding: TextEncodingName;
  text: string;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { encoding: bom ? 'utf-8-bom' : 'utf-8', text };
  } catch {
    return { encoding: 'gbk', text: new TextDecoder('gbk').decode(bytes) };
  }
}
