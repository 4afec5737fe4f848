"""Bylines: the role words and how a byline falls into groups that are never broken."""
from __future__ import annotations

import re

# Role words of a byline (记者 冉红政 通讯员 姜璞 文/图): each opens a group its names stay with.
BYLINE_ROLES = ("本报记者", "记者", "通讯员", "实习生", "本报通讯员", "特约记者", "见习记者", "摄影",
                "文/图", "文／图", "图/文")
# Words after which a space inside running text is the credits' convention (（记者 张三）): the
# byline's roles, the photo credit's 摄 and the editor's 编辑 (`paiban lint`).
CREDIT_ROLES = BYLINE_ROLES + ("摄", "编辑")


def byline_groups(byline: str) -> list[str]:
    """"记者 冉红政 通讯员 姜璞 文/图" → ["记者 冉红政", "通讯员 姜璞", "文/图"]: a role word starts a
    group; names stay with their role and are never broken."""
    words = byline.split()
    groups: list[list[str]] = []
    for w in words:
        if not groups or w in BYLINE_ROLES or re.fullmatch(r"[文图摄影/／]+", w):
            groups.append([w])
        else:
            groups[-1].append(w)
    return [" ".join(g) for g in groups]
