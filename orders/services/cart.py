"""Cart writes: create, add, change quantity, remove, merge a guest cart on sign-in.

Stock is checked on every change so the shopper learns early ("Only 2 left of ..."); it is
checked again, under row locks, when the order is placed (checkout.py), which is what really
prevents overselling.
"""

from datetime import timedelta
from importlib import import_module

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from catalog.models import ProductVariant, PublicationStatus
from catalog.option_labels import option_texts_for_variants
from shop.language import content_language

from ..models import Cart, CartLine
from ..selectors import product_display_name
from ..signals import announce_line_added_to_bag
from .errors import CartError, OutOfStock, ProductUnavailable

# Nobody buys a hundred of one ring online; a cap keeps typos and scripts from silly numbers.
MAX_LINE_QUANTITY = 99


def variant_display_name(variant: ProductVariant, *, ring_scale: str | None = None) -> str:
    """The product's name and the variant's options in the active language; its ring size in
    `ring_scale` (the shopper's), else the language's usual scale."""
    language = content_language()
    name = product_display_name(variant.product, language=language)
    title = option_texts_for_variants(
        [variant], language=language, ring_scale=ring_scale
    ).variant_title(variant)
    return f"{name} ({title})" if title else name


def _only_left_message(*, variant: ProductVariant) -> str:
    name = variant_display_name(variant)
    if variant.stock_quantity <= 0:
        return _("Sorry, %(name)s is out of stock.") % {"name": name}
    return ngettext(
        "Only %(count)d left of %(name)s.",
        "Only %(count)d left of %(name)s.",
        variant.stock_quantity,
    ) % {"count": variant.stock_quantity, "name": name}


def _check_quantity(quantity: int) -> None:
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise CartError(_("Enter a quantity of at least 1."), code="invalid_quantity")
    if quantity > MAX_LINE_QUANTITY:
        raise CartError(
            _("You can buy at most %(count)d of one item.") % {"count": MAX_LINE_QUANTITY},
            code="invalid_quantity",
        )


def _check_available(*, variant: ProductVariant, quantity: int) -> None:
    if variant.product.status != PublicationStatus.PUBLISHED:
        # Never its name: an unpublished product may be an unannounced one. The same words
        # as for a variant that does not exist.
        raise ProductUnavailable(_("This product is not available."))
    if quantity > variant.stock_quantity:
        raise OutOfStock(_only_left_message(variant=variant))


def cart_get_or_create(
    *, user=None, guest_cart_id: int | None = None, session_key: str | None = None
) -> Cart:
    """The shopper's cart, created on first use: a signed-in user's own, else a guest's.

    A guest is known by plain values, never by the HTTP session (services do not take
    request or session objects): `guest_cart_id`, the cart id the session remembers (None
    when it remembers none), and `session_key`, the session's key, stored on a new cart. The
    caller remembers the returned cart's id in the session (orders.cart_session does).
    """
    if user is not None and user.is_authenticated:
        cart = Cart.objects.filter(user=user).first()
        if cart is not None:
            return cart
        try:
            with transaction.atomic():
                return Cart.objects.create(user=user)
        except IntegrityError:  # another request of the same user made it first
            return Cart.objects.get(user=user)
    if guest_cart_id is not None:
        cart = Cart.objects.filter(pk=guest_cart_id, user__isnull=True).first()
        if cart is not None:
            return cart
    if not session_key:
        raise ValueError("A guest cart needs a session key.")
    cart = Cart(session_key=session_key)
    cart.full_clean()
    cart.save()
    return cart


def _lock(cart: Cart) -> None:
    """Serialises writes to one cart (SELECT ... FOR UPDATE; SQLite takes its write lock at
    the start of the transaction anyway)."""
    Cart.objects.select_for_update().filter(pk=cart.pk).values_list("pk", flat=True).first()


@transaction.atomic
def cart_add(*, cart: Cart, variant: ProductVariant, quantity: int = 1) -> CartLine:
    """Adds `quantity` of the variant (to the line already holding it, if any).

    The cart's row is locked first: two adds at the same moment (a double click, two tabs)
    take turns, so the second finds the line the first made and adds to it, instead of
    failing on the one-line-per-item constraint or overwriting the first's quantity.
    """
    _check_quantity(quantity)
    _lock(cart)
    line = CartLine.objects.filter(cart=cart, variant=variant).first()
    new_quantity = quantity + (line.quantity if line else 0)
    _check_available(variant=variant, quantity=new_quantity)
    _check_quantity(new_quantity)
    if line is None:
        line = CartLine(cart=cart, variant=variant, quantity=new_quantity)
    else:
        line.quantity = new_quantity
    line.full_clean(validate_unique=False, validate_constraints=False)
    line.save()
    cart.save(update_fields=["updated_at"])
    announce_line_added_to_bag(
        product_id=variant.product_id,
        variant_id=variant.pk,
        quantity=quantity,
        user=cart.user,
        session_key=cart.session_key,
        # The language the shopper is really browsing in, or "" (not known, e.g. outside a
        # request): not content_language(), whose fallback would count such adds as English
        # in the per-language popularity the recommender reads.
        language=get_language() or "",
    )
    return line


@transaction.atomic
def cart_set_quantity(*, line: CartLine, quantity: int) -> CartLine | None:
    """Sets the line's quantity; 0 removes the line (and returns None)."""
    if quantity == 0:
        cart_remove_line(line=line)
        return None
    _check_quantity(quantity)
    variant = ProductVariant.objects.select_related("product").get(pk=line.variant_id)
    if quantity > line.quantity or quantity > variant.stock_quantity:
        # Lowering a quantity is always allowed unless it is still more than what is left.
        _check_available(variant=variant, quantity=quantity)
    line.quantity = quantity
    line.full_clean(validate_unique=False, validate_constraints=False)
    line.save(update_fields=["quantity"])
    return line


def cart_remove_line(*, line: CartLine) -> None:
    line.delete()


def cart_clear(*, cart: Cart) -> None:
    cart.lines.all().delete()


@transaction.atomic
def cart_merge(*, source: Cart, user) -> list[str]:
    """Moves a guest cart's lines into the user's cart after sign-in.

    Quantities of the same item add up, capped by the stock left; returns a note for each item
    that had to be capped or dropped, for the shopper.
    """
    target = Cart.objects.select_for_update().filter(user=user).first()
    if target is None:
        source.user = user
        source.session_key = ""
        source.save(update_fields=["user", "session_key", "updated_at"])
        target = source
    target_lines = {
        line.variant_id: line for line in target.lines.select_related("variant__product")
    }
    if source.pk == target.pk:
        guest_lines = list(target_lines.values())
        wanted = dict.fromkeys(target_lines, 0)
    else:
        guest_lines = list(source.lines.select_related("variant__product"))
        wanted = {
            line.variant_id: target_lines[line.variant_id].quantity
            for line in guest_lines
            if line.variant_id in target_lines
        }
    variants = {}
    for guest_line in guest_lines:
        wanted[guest_line.variant_id] = wanted.get(guest_line.variant_id, 0) + guest_line.quantity
        variants[guest_line.variant_id] = guest_line.variant

    notes: list[str] = []
    for variant_id, quantity in wanted.items():
        variant = variants[variant_id]
        allowed = min(quantity, variant.stock_quantity, MAX_LINE_QUANTITY)
        if variant.product.status != PublicationStatus.PUBLISHED:
            allowed = 0
        if allowed < quantity:
            notes.append(_merge_note(variant=variant, quantity=allowed))
        line = target_lines.get(variant_id)
        if allowed <= 0:
            if line is not None:
                line.delete()
        elif line is None:
            CartLine.objects.create(cart=target, variant=variant, quantity=allowed)
        elif line.quantity != allowed:
            line.quantity = allowed
            line.save(update_fields=["quantity"])
    if source.pk != target.pk:
        source.delete()
    return notes


def _merge_note(*, variant: ProductVariant, quantity: int) -> str:
    if variant.product.status != PublicationStatus.PUBLISHED:
        return _("An item that is no longer available was removed from your bag.")
    name = variant_display_name(variant)
    if quantity <= 0:
        return _("%(name)s is no longer available and was removed from your bag.") % {"name": name}
    return ngettext(
        "Only %(count)d left of %(name)s: your bag now holds %(count)d.",
        "Only %(count)d left of %(name)s: your bag now holds %(count)d.",
        quantity,
    ) % {"count": quantity, "name": name}


# A guest bag younger than this is kept even without a session: its request may still be running.
ORPHAN_GRACE = timedelta(days=1)


def cart_delete_orphaned_guest_carts(*, batch_size: int = 1000) -> int:
    """Deletes guest bags nobody can reach any more: their session (the only way to them) has
    expired or was cleared. Customers' bags are never touched. Returns how many went."""
    from django.conf import settings
    from django.contrib.sessions.models import Session

    cutoff = timezone.now() - ORPHAN_GRACE
    guests = Cart.objects.filter(user__isnull=True, created_at__lt=cutoff)
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
        _count, rows = guests.exclude(session_key__in=live).delete()
        return rows.get(Cart._meta.label, 0)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    total = 0
    last_pk = 0
    while True:
        batch = list(
            guests.filter(pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "session_key")[:batch_size]
        )
        if not batch:
            return total
        last_pk = batch[-1][0]
        gone = [pk for pk, key in batch if not key or not store.exists(key)]
        _count, rows = Cart.objects.filter(pk__in=gone).delete()
        total += rows.get(Cart._meta.label, 0)
