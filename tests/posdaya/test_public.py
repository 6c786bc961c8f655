import pytest

from ..factories import PosdayaFactory

pytestmark = pytest.mark.django_db


def test_posdaya_list_links_every_active_profile(client):
    active = PosdayaFactory.create_batch(3)
    hidden = PosdayaFactory(is_active=False)
    html = client.get("/posdaya/").content.decode()
    for branch in active:
        assert f'href="/posdaya/{branch.slug}/"' in html
    assert hidden.name not in html


def test_profile_shows_weighing_days_and_whatsapp(client, posdaya):
    response = client.get("/posdaya/bahagia/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sabtu, Minggu" in html
    assert 'href="https://wa.me/6281234567890"' in html
    assert "0812-3456-7890" in html


def test_inactive_profile_is_404(client):
    PosdayaFactory(slug="tutup", is_active=False)
    assert client.get("/posdaya/tutup/").status_code == 404
