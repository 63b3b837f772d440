"""Per-study assets made once and shared by every brief: charts and the DOCX reference document.

in:  data/junctures.yaml, templates/brand.yaml, fonts, locale catalogues
out: output/build/charts/<lang>/cooperation.{svg,png}, output/build/reference.docx
"""


rule chart:
    input:
        CHART_INPUTS,
        code=CODE_FILES,
    output:
        svg=f"{OUT}/build/charts/{{lang}}/cooperation.svg",
        png=f"{OUT}/build/charts/{{lang}}/cooperation.png",
    log:
        f"{OUT}/logs/chart/{{lang}}.log",
    shell:
        """
        {PB} chart --data {DATA:q} --templates {TEMPLATES:q} --lang {wildcards.lang} \
            --out {OUT:q}/build/charts > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
        """


rule reference_docx:
    input:
        brand=f"{TEMPLATES}/brand.yaml",
        code=CODE_FILES,
    output:
        f"{OUT}/build/reference.docx",
    log:
        f"{OUT}/logs/reference_docx.log",
    shell:
        """
        {PB} reference-docx --templates {TEMPLATES:q} --out {output:q} > {log:q} 2>&1 \
        || (cat {log:q} >&2; exit 1)
        """
