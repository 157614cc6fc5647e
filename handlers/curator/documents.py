"""The curator's documents moved to the application layer (`bot.flows.curator.documents`): re-exported for the
curator's handlers that still build their files here (the matching's confirmation, the bases)."""

from bot.flows.curator.documents import DOCX as DOCX
from bot.flows.curator.documents import FORM_SLUGS as FORM_SLUGS
from bot.flows.curator.documents import XLSX as XLSX
from bot.flows.curator.documents import base_file as base_file
from bot.flows.curator.documents import is_adult as is_adult
from bot.flows.curator.documents import order_file as order_file
from bot.flows.curator.documents import order_filename as order_filename
from bot.flows.curator.documents import order_info as order_info
from bot.flows.curator.documents import pair_rows as pair_rows
from bot.flows.curator.documents import pairs_file as pairs_file
from bot.flows.curator.documents import person_row as person_row
from bot.flows.curator.documents import programme_year as programme_year
