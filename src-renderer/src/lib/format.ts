// Number formatting as Chinese live-commerce screens show it: 万 for large counts, ¥ from fen.

export function formatCount(n: number, language: string): string {
  if (language === 'zh-CN' && Math.abs(n) >= 100_000) return `${(n / 10_000).toFixed(1)}万`;
  return n.toLocaleString(language);
}

export function formatFen(fen: number, language: string): string {
  const yuan = fen / 100;
  if (language === 'zh-CN' && yuan >= 100_000) return `¥${(yuan / 10_000).toFixed(2)}万`;
  return `¥${yuan.toLocaleString(language, { maximumFractionDigits: 0 })}`;
}

export function formatSigned(n: number, language: string): string {
  return `${n > 0 ? '+' : ''}${formatCount(n, language)}`;
}

const platformNames: Record<string, [string, string]> = {
  douyin: ['抖音', 'Douyin'],
  kuaishou: ['快手', 'Kuaishou'],
  wechat: ['视频号', 'WeChat Channels'],
  taobao: ['淘宝', 'Taobao'],
  bilibili: ['B站', 'Bilibili'],
  tiktok: ['TikTok', 'TikTok'],
  demo: ['演示', 'Demo'],
  other: ['其他', 'Other'],
};

export function platformName(platform: string, language: string): string {
  const names = platformNames[platform];
  return names ? names[language === 'zh-CN' ? 0 : 1] : platform;
}

export const platformIds = Object.keys(platformNames);

/** A rate as a percentage, '—' when the denominator is 0. */
export function formatRate(numerator: number, denominator: number): string {
  return denominator > 0 ? `${((numerator * 100) / denominator).toFixed(1)}%` : '—';
}

/** A share (0–1) as a percentage, '—' for none. */
export function formatPercent(share: number | null): string {
  return share === null ? '—' : `${(share * 100).toFixed(1)}%`;
}

export function formatDuration(ms: number, language: string): string {
  const seconds = Math.round(ms / 1000);
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return language === 'zh-CN' ? (m > 0 ? `${m}分${s}秒` : `${s}秒`) : m > 0 ? `${m}m ${s}s` : `${s}s`;
}
