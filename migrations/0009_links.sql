-- why: placeholder on the reads branch only, so 0010 follows without a gap; the links branch brings the real 0009_links (take its file at merge).
SELECT 1;
