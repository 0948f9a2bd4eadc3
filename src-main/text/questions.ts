// Question detection: whether a normalised danmaku asks something the anchor could answer, from
// question particles, question words and choice patterns, minus the common look-alikes.

/** Look-alikes removed before looking for question words: 什么都好看, 多少都值, 怎么这么…, 不是吧. */
const NOT_A_QUESTION = /(什么时候|啥时候|什么|啥|哪儿?|多少钱?|几号?|有没有|怎么)都|怎么这么|不是吧/g;

const QUESTION = new RegExp(
  [
    '\\?',
    '吗',
    '[^怎什这那多]么$',
    '呢$',
    '[对是]吧$',
    '怎么|怎样|咋|为什么|为啥|什么|啥|哪|谁',
    '多少|多[大长高重久厚宽]',
    '几[号天点码个件单岁斤块种次]',
    '(\\p{Script=Han})[不没]\\1',
    '\\S还是\\S',
    '\\S{2,}不$',
  ].join('|'),
  'u',
);

/** True when the normalised text is a question (an exclamation never is). */
export function isQuestion(text: string): boolean {
  if (text.includes('?')) return true;
  if (text.endsWith('!')) return false;
  return QUESTION.test(text.replace(NOT_A_QUESTION, ' '));
}
