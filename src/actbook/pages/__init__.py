"""The code behind the chapters: ``pages/<name>.py`` serves ``chapters/<name>.md`` alone and
opens with "Code behind chapters/<name>.md".

May import: :mod:`actbook.catalog`, :mod:`actbook.lab`, :mod:`actbook.figures`. Never another
page module: what two chapters share belongs in one of those.
"""
