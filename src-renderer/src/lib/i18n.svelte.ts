// UI language: Simplified Chinese by default, English switchable; the choice is stored by the engine.
import type { Language } from '@contract';
import { engine } from './engine';

const zh = {
  appName: 'LiveDeck 直播驾驶舱',
  online: '实时在线人数',
  onlineHint: '平台上报的当前在线人数；箭头为较 5 分钟前的变化',
  commentsPerMin: '评论数/分钟',
  commentsPerMinHint: '最近 60 秒内的评论条数',
  gmv: '成交金额 GMV',
  gmvHint: '本场已支付订单金额合计（退款另计）',
  paidOrders: '成交订单',
  uv: '累计观看人数',
  uvHint: '本场进入直播间的去重人数',
  trend: '分钟趋势',
  feed: '实时评论',
  feedEmpty: '等待评论…',
  connecting: '正在连接引擎…',
  disconnected: '与引擎的连接已断开，正在重连…',
  eventsPerSec: '事件/秒',
  errors: '错误',
  anchorView: '主播视图',
  alwaysOnTop: '窗口置顶',
  series_online: '在线',
  series_entries: '进场',
  series_comments: '评论',
  series_gmv: 'GMV (元)',
  language: 'English',
  demoRoom: '演示直播间',
  vs5m: '较5分钟前',
} as const;

export type MessageKey = keyof typeof zh;

const en: Record<MessageKey, string> = {
  appName: 'LiveDeck',
  online: 'Online now',
  onlineHint: 'Viewers in the room as the platform reports it; the arrow is the change over 5 minutes',
  commentsPerMin: 'Comments / min',
  commentsPerMinHint: 'Comments in the last 60 seconds',
  gmv: 'GMV',
  gmvHint: 'Paid order amount this session (refunds shown apart)',
  paidOrders: 'Paid orders',
  uv: 'Viewers (UV)',
  uvHint: 'Distinct persons who entered this session',
  trend: 'Minute trend',
  feed: 'Live comments',
  feedEmpty: 'Waiting for comments…',
  connecting: 'Connecting to the engine…',
  disconnected: 'Lost the engine connection, reconnecting…',
  eventsPerSec: 'events/s',
  errors: 'errors',
  anchorView: 'Anchor view',
  alwaysOnTop: 'Always on top',
  series_online: 'Online',
  series_entries: 'Entries',
  series_comments: 'Comments',
  series_gmv: 'GMV (¥)',
  language: '中文',
  demoRoom: 'Demo room',
  vs5m: 'vs 5 min ago',
};

const catalogs: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zh, en };

class I18n {
  language = $state<Language>('zh-CN');

  t = (key: MessageKey): string => catalogs[this.language][key];

  async toggle(): Promise<void> {
    const settings = await engine.invoke('setLanguage', { language: this.language === 'zh-CN' ? 'en' : 'zh-CN' });
    this.language = settings.language;
  }
}

export const i18n = new I18n();
