/** Browsers cannot be downloaded here: tests and whatsapp-web.js use Debian's /usr/bin/chromium. */
module.exports = { skipDownload: true };
