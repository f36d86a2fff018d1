/**
 * Saves text as a file through a temporary object URL; the export is fetched with the
 * user's token first, which a plain link to the API could not send.
 */
export function downloadText(
  text: string,
  fileName: string,
  contentType: string,
) {
  const url = URL.createObjectURL(new Blob([text], { type: contentType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
