// Keyboard shortcuts for ops on the dashboard: what they do often, one key each, never while typing.
import { engine } from './engine';
import { room } from './room.svelte';

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/** P focuses the push box, / the feed filter, 1–3 mark that talking point answered, A / D approve or dismiss the oldest coupon suggestion. */
export function handleShortcut(event: KeyboardEvent): void {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
  const focus = (testid: string): void => {
    event.preventDefault();
    document.querySelector<HTMLElement>(`[data-testid="${testid}"]`)?.focus();
  };
  if (event.key === 'p' || event.key === 'P') focus('push-input');
  else if (event.key === '/') focus('feed-keyword');
  else if (['1', '2', '3'].includes(event.key)) {
    const point = room.points[Number(event.key) - 1];
    if (point) void engine.invoke('answerPoint', { topic: point.topic, question: point.question });
  } else if (event.key === 'a' || event.key === 'A' || event.key === 'd' || event.key === 'D') {
    const suggestion = room.triggers.pending[0];
    if (suggestion) void engine.invoke(event.key.toLowerCase() === 'a' ? 'approveSuggestion' : 'dismissSuggestion', { key: suggestion.key });
  }
}
