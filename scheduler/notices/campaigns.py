"""Opening a campaign moved to the application layer (`bot.flows.campaign_launch`): its names, here still for
the adapters that import them from here."""

from bot.flows.campaign_launch import Launched as Launched
from bot.flows.campaign_launch import answer_markup as answer_markup
from bot.flows.campaign_launch import invite_latecomers as invite_latecomers
from bot.flows.campaign_launch import launch as launch
from bot.flows.campaign_launch import until_text as until_text
from bot.flows.campaign_launch import waiting_for as waiting_for
