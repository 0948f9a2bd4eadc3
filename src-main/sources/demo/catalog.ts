// The demo room's fixed material: its product lineup, chat phrase bank and nickname parts.

export interface DemoProduct {
  id: string;
  name: string;
  priceFen: number;
}

export const products: DemoProduct[] = [
  { id: 'p1', name: '轻薄羽绒服', priceFen: 29_900 },
  { id: 'p2', name: '加绒阔腿裤', priceFen: 15_900 },
  { id: 'p3', name: '羊毛围巾', priceFen: 8_900 },
  { id: 'p4', name: '保湿面霜', priceFen: 12_900 },
  { id: 'p5', name: '不锈钢保温杯', priceFen: 6_900 },
];

export const questions = [
  '这个有S码吗',
  '小个子能穿吗？',
  '多少钱呀',
  '有优惠券吗',
  '什么时候发货',
  '是什么材质的',
  '几号链接？',
  '主播身高体重多少',
  '能便宜点吗',
  '敏感肌能用吗',
  '包邮吗',
  '还有库存吗',
  '退换方便吗',
  '160斤穿什么码',
  '会起球吗',
];

export const smallTalk = [
  '来了来了',
  '主播今天好漂亮',
  '支持主播！',
  '等福袋',
  '哈哈哈哈',
  '666',
  '已拍',
  '拍了拍了',
  '上次买的很好用，回购了',
  '求讲解3号链接',
  '晚上好',
  '这个颜色好看',
  '冲冲冲',
];

export const nicknameHeads = ['爱喝奶茶的', '不吃香菜的', '早睡早起的', '热爱生活的', '迷糊的', '快乐的', '安静的', '追光的'];
export const nicknameTails = ['小熊', '兔子', '橘猫', '柠檬', '鱼丸', '芒果', '阿杰', '小雨', '豆豆', '晴天'];
