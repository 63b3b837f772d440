"""Assets made once and shared: a chart per study and language, and the DOCX reference document.

in:  <data>/junctures.yaml, the brand file, fonts, locale catalogues
out: output/<study>/build/charts/<lang>/cooperation.{svg,png}, output/build/reference.docx
"""


rule chart:
    input:
        junctures=junctures_file,
        templates=CHART_TEMPLATE_FILES,
        code=CHART_CODE,
    output:
        svg=f"{OUT}/{{study}}/build/charts/{{lang}}/cooperation.svg",
        png=f"{OUT}/{{study}}/build/charts/{{lang}}/cooperation.png",
    params:
        pb=PB,
        data=study_data,
        templates=TEMPLATES,
        out=charts_folder,
    log:
        f"{OUT}/logs/{{study}}/chart/{{lang}}.log",
    shell:
        """
        {params.pb} chart \
            --data {params.data:q} \
            --templates {params.templates:q} \
            --lang {wildcards.lang} \
            --out {params.out:q} \
            > {log:q} 2>&1
        """


rule reference_docx:
    input:
        brand=BRAND_FILES,
        code=CHART_CODE,
    output:
        f"{OUT}/build/reference.docx",
    params:
        pb=PB,
        templates=TEMPLATES,
    log:
        f"{OUT}/logs/reference_docx.log",
    shell:
        """
        {params.pb} reference-docx \
            --templates {params.templates:q} \
            --out {output:q} \
            > {log:q} 2>&1
        """
