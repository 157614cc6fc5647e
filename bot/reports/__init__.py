"""The curator's reports (roadmap 4.6, 5.1–5.4): charts as PNG bytes and the export workbook as XLSX bytes.

Pure functions from plain numbers and rows to file bytes: nothing here touches the database or the messenger.
The modules are imported directly (`bot.reports.charts`, `bot.reports.export_xlsx`) so that importing the
package does not load matplotlib or openpyxl for callers that need neither.
"""

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG_MIME = "image/png"

__all__ = ["PNG_MIME", "XLSX_MIME"]
