"""kb: a docs-as-code knowledge base for customer-support teams."""

__version__ = "0.1.0"
