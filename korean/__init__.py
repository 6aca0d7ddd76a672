"""Korean text analysis without Django: morphemes (Kiwi), Hangul letters, hashtag stems.

Search indexes and queries with it (search/korean.py), and content apps may use it directly
(community links a hashtag written with a particle to its stem tag), since it knows nothing of
the site's models.
"""
