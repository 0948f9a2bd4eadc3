// A session report saved as PDF on the desktop: the page printed by Chromium (printToPDF; the print
// layout shows the report alone) and written where the user chooses in the save dialog.
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { BrowserWindow, dialog, type WebContents } from 'electron';

/** Answers whether a file was written (false when the user cancelled). */
export async function savePdf(sender: WebContents, fileName: string): Promise<boolean> {
  const name = basename(fileName).replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').slice(0, 120) || 'report.pdf';
  const pdf = await sender.printToPDF({ printBackground: true, pageSize: 'A4' });
  const options = { defaultPath: name.endsWith('.pdf') ? name : `${name}.pdf`, filters: [{ name: 'PDF', extensions: ['pdf'] }] };
  const win = BrowserWindow.fromWebContents(sender);
  const { canceled, filePath } = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  if (canceled || !filePath) return false;
  await writeFile(filePath, pdf);
  return true;
}
