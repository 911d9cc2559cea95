"""gunicorn reads this file from the working directory by default.

No server banner: gunicorn sends "Server: gunicorn" with every response, which tells an
attacker what to look up. The header now names only the service.
"""

import gunicorn.http.wsgi

gunicorn.http.wsgi.SERVER = "wspolnie"
