"""One search box for the whole service.

How a domain becomes searchable (volunteering opportunities and spaces do the same as
organisations do in ``app/organisations/search_index.py``):

1. Register the kind once, at import time of the domain package::

       from app.search.kinds import SearchKind, register_kind
       register_kind(SearchKind("opportunity", _l("Oferty wolontariatu"),
                                endpoint="volunteering.opportunity",
                                url_arg="opportunity_id", list_endpoint="volunteering.index",
                                order=10))

2. Whenever an object is created or changed, in the same transaction::

       from app.search.service import index_document, remove_document
       index_document("opportunity", opp.id, title=opp.title,
                      keywords=[opp.cause_area_label, *opp.tags],   # ranked below the title
                      body=[opp.description],                        # ranked last
                      summary=opp.summary, url_key=str(opp.id))
       remove_document("opportunity", opp.id)  # when it is deleted or unpublished

3. For search within the domain's own list, join ``match_documents(q, ["opportunity"])``
   (a SELECT of id, kind, ref_id, score) on ``ref_id`` and order by ``score`` desc.

The results page (``/szukaj?q=``) shows one section per registered kind. A kind may also give
``visible_ids`` (what may be shown now, checked at query time) and ``reindex`` (used by
``flask reindex-search``). See docs/search.md and app/volunteering/search_index.py.
"""
