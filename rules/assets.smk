"""Assets made once and shared: a chart per study and language, and the DOCX reference document.

in:  <data>/junctures.yaml, templates/brand.yaml, fonts, locale catalogues
out: output/<study>/build/charts/<lang>/cooperation.{svg,png}, output/build/reference.docx
"""


rule chart:
    input:
        junctures=lambda wildcards: f"{study(wildcards)['data']}/junctures.yaml",
        templates=CHART_TEMPLATE_FILES,
        code=CODE_FILES,
    output:
        svg=f"{OUT}/{{study}}/build/charts/{{lang}}/cooperation.svg",
        png=f"{OUT}/{{study}}/build/charts/{{lang}}/cooperation.png",
    params:
        data=lambda wildcards: study(wildcards)["data"],
    log:
        f"{OUT}/logs/{{study}}/chart/{{lang}}.log",
    shell:
        """
        {PB} chart --data {params.data:q} --templates {TEMPLATES:q} --lang {wildcards.lang} \
            --out {OUT:q}/{wildcards.study}/build/charts > {log:q} 2>&1 || (cat {log:q} >&2; exit 1)
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
