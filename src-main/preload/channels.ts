// IPC channel names shared by the preload and the main process (the desktop transport's wire).
export const channels = {
  request: 'livedeck:request',
  push: 'livedeck:push',
  openAnchor: 'livedeck:open-anchor',
  alwaysOnTop: 'livedeck:always-on-top',
  savePdf: 'livedeck:save-pdf',
} as const;
